namespace Switchboard.Errors;

/// <summary>
/// The one catalogue of error codes and their HTTP status. Every problem response carries one of these.
/// Add new codes here, never inline; `docs/api.md` lists them for clients.
/// </summary>
public static class ErrorCodes
{
    // Request shape
    public static readonly ErrorCode BadRequest = new("bad_request", 400, "The request is not valid.", "errors");
    public static readonly ErrorCode ValidationFailed = new("validation_failed", 400, "One or more fields are invalid.", "errors");
    public static readonly ErrorCode InvalidName = new("invalid_name", 400, "The name is not valid for this kind of resource.", "errors");
    public static readonly ErrorCode MalformedJson = new("malformed_json", 400, "The request body is not valid JSON for this operation.", "errors");
    public static readonly ErrorCode UnsupportedMediaType = new("unsupported_media_type", 415, "The request content type is not supported.");
    public static readonly ErrorCode PayloadTooLarge = new("payload_too_large", 413, "The request body is too large.", "maxBytes", "maxValueBytes");
    public static readonly ErrorCode RouteNotFound = new("route_not_found", 404, "No operation exists at this path.");
    public static readonly ErrorCode MethodNotAllowed = new("method_not_allowed", 405, "The method is not allowed on this path.");
    public static readonly ErrorCode NotAcceptable = new("not_acceptable", 406, "The requested representation is not available.");
    public static readonly ErrorCode NotFound = new("not_found", 404, "The resource does not exist.");
    public static readonly ErrorCode Conflict = new("conflict", 409, "The request conflicts with the current state.");
    public static readonly ErrorCode PreconditionFailed = new("precondition_failed", 412, "A precondition of the request did not hold.");
    public static readonly ErrorCode RangeNotSatisfiable = new("range_not_satisfiable", 416, "The Range header asks for bytes the resource does not have.");
    public static readonly ErrorCode RateLimited = new("rate_limited", 429, "Too many requests; retry after the time in Retry-After.", "retryAfterSeconds");

    // Authentication and authorization
    public static readonly ErrorCode Unauthorized = new("unauthorized", 401, "Authentication is required.");
    public static readonly ErrorCode InvalidToken = new("invalid_token", 401, "The access token is missing, expired or invalid.");
    public static readonly ErrorCode InvalidApiKey = new("invalid_api_key", 401, "The API key is unknown, revoked or expired.");
    public static readonly ErrorCode InvalidCredentials = new("invalid_credentials", 401, "The username or password is wrong.");
    public static readonly ErrorCode AccountLocked = new("account_locked", 423, "The account is locked after repeated failed logins.", "retryAfterSeconds");
    public static readonly ErrorCode AccountDisabled = new("account_disabled", 403, "The account is disabled.");
    public static readonly ErrorCode InvalidRefreshToken = new("invalid_refresh_token", 401, "The refresh token is unknown, expired or revoked.");
    public static readonly ErrorCode RefreshTokenReused = new("refresh_token_reused", 401, "The refresh token was already used; every token of its session is revoked.");
    public static readonly ErrorCode Forbidden = new("forbidden", 403, "The caller may not perform this operation.");
    public static readonly ErrorCode InsufficientScope = new("insufficient_scope", 403, "The credentials lack the scope this operation needs.", "requiredScope", "requestedScopes");
    public static readonly ErrorCode RegistrationDisabled = new("registration_disabled", 403, "Self-registration is turned off on this server.");
    public static readonly ErrorCode UsernameTaken = new("username_taken", 409, "The username is already taken.");
    public static readonly ErrorCode WeakPassword = new("weak_password", 400, "The password does not meet the policy.");
    public static readonly ErrorCode LastAdmin = new("last_admin", 409, "The change would leave no enabled admin.");

    // KV buckets
    public static readonly ErrorCode InvalidKey = new("invalid_key", 400, "The key is not valid.");
    public static readonly ErrorCode BucketNotFound = new("bucket_not_found", 404, "The KV bucket does not exist.");
    public static readonly ErrorCode KeyNotFound = new("key_not_found", 404, "The key does not exist or has expired.");
    public static readonly ErrorCode RevisionMismatch = new("revision_mismatch", 412, "The key's current revision is not the expected one.", "currentRevision");
    public static readonly ErrorCode KeyExists = new("key_exists", 412, "The key already exists.", "currentRevision");

    // Broker
    public static readonly ErrorCode QueueNotFound = new("queue_not_found", 404, "The queue does not exist.");
    public static readonly ErrorCode QueueExists = new("queue_exists", 409, "A queue with this name already exists.");
    public static readonly ErrorCode QueueNotEmpty = new("queue_not_empty", 409, "The queue still holds messages; purge it or delete with force=true.");
    public static readonly ErrorCode QueueFull = new("queue_full", 429, "The queue holds its maximum number of messages; retry after consumers catch up.");
    public static readonly ErrorCode MessageTooLarge = new("message_too_large", 413, "A message body is larger than the server accepts.");
    public static readonly ErrorCode InvalidBodyEncoding = new("invalid_body_encoding", 400, "The body does not match its bodyEncoding (utf8 that is not valid UTF-8, base64 that is not base64); the server never stores a body altered.");
    public static readonly ErrorCode BatchTooLarge = new("batch_too_large", 400, "The batch holds too many messages or bytes.");
    public static readonly ErrorCode MessageNotFound = new("message_not_found", 404, "The message does not exist in this queue.");
    public static readonly ErrorCode InvalidLease = new("invalid_lease", 400, "The lease token is malformed.");
    public static readonly ErrorCode LeaseExpired = new("lease_expired", 409, "The lease expired or belongs to an earlier delivery.", "lease");
    public static readonly ErrorCode TopicNotFound = new("topic_not_found", 404, "The topic does not exist.");
    public static readonly ErrorCode TopicExists = new("topic_exists", 409, "A topic with this name already exists.");
    public static readonly ErrorCode SubscriptionNotFound = new("subscription_not_found", 404, "The subscription does not exist on this topic.");
    public static readonly ErrorCode SubscriptionIdle = new("subscription_idle", 408, "The subscription held messages without an Ack, Nack or Credit for Broker:Hub:IdleSubscriptionSeconds; they were released.");
    public static readonly ErrorCode NotConsuming = new("not_consuming", 409, "This connection does not consume the queue.");

    // Chat
    public static readonly ErrorCode ConversationNotFound = new("conversation_not_found", 404, "The conversation does not exist or the caller is not a member.");
    public static readonly ErrorCode ChatMessageNotFound = new("chat_message_not_found", 404, "The message does not exist in this conversation.", "field");
    public static readonly ErrorCode NotAMember = new("not_a_member", 403, "Only members of the conversation may do this.");
    public static readonly ErrorCode TooManyMembers = new("too_many_members", 409, "The conversation would have more members than allowed.");
    public static readonly ErrorCode MembershipFixed = new("membership_fixed", 409, "The members of a private conversation cannot change.");
    public static readonly ErrorCode TextTooLong = new("text_too_long", 413, "The message text is longer than the server accepts.", "maxTextBytes");
    public static readonly ErrorCode InvalidChannel = new("invalid_channel", 400, "A named delivery channel is not configured or not enabled.", "channel");
    public static readonly ErrorCode InvalidAttachment = new("invalid_attachment", 400, "An attached file does not exist, is incomplete, or is not the sender's.", "fileId");
    public static readonly ErrorCode UserNotFound = new("user_not_found", 404, "The user does not exist.", "userId");

    // Files (tus uploads and downloads)
    public static readonly ErrorCode FileNotFound = new("file_not_found", 404, "The file does not exist or the caller may not see it.");
    public static readonly ErrorCode UploadTooLarge = new("upload_too_large", 413, "The upload is longer than the server accepts, or the body runs past the declared Upload-Length.", "maxBytes");
    public static readonly ErrorCode QuotaExceeded = new("quota_exceeded", 413, "The upload would take the user over their storage quota; delete files or ask an admin.", "quotaBytes", "usedBytes");
    public static readonly ErrorCode OffsetMismatch = new("offset_mismatch", 409, "Upload-Offset is not the upload's current offset; ask HEAD for it and resume from there.", "uploadOffset");
    public static readonly ErrorCode UploadLocked = new("upload_locked", 423, "Another request is writing to this upload; retry when it has finished.");
    public static readonly ErrorCode UploadIncomplete = new("upload_incomplete", 409, "The upload has not received all its bytes yet.");
    public static readonly ErrorCode UploadFailed = new("upload_failed", 410, "The upload failed its checksum and its bytes were discarded; start a new upload.");
    public static readonly ErrorCode ChecksumMismatch = new("checksum_mismatch", 460, "The uploaded file does not match its declared SHA-256; the upload was discarded.", "expectedSha256", "actualSha256");
    public static readonly ErrorCode ChunkChecksumMismatch = new("chunk_checksum_mismatch", 460, "The chunk does not match its Upload-Checksum; it was discarded, resend it.");
    public static readonly ErrorCode ChecksumAlgorithmUnsupported = new("checksum_algorithm_unsupported", 400, "The Upload-Checksum algorithm is not supported; use sha1 or sha256.");
    public static readonly ErrorCode TusVersionUnsupported = new("tus_version_unsupported", 412, "The Tus-Resumable version is not supported; this server speaks tus 1.0.0.");

    // Channels and notifications
    public static readonly ErrorCode ChannelNotFound = new("channel_not_found", 404, "No channel instance or route has this name.");
    public static readonly ErrorCode ChannelUnavailable = new("channel_unavailable", 409, "Every channel instance of the route is disabled.");
    public static readonly ErrorCode DeliveryNotFound = new("delivery_not_found", 404, "The delivery does not exist.");
    public static readonly ErrorCode NotificationNotFound = new("notification_not_found", 404, "The notification does not exist.");
    public static readonly ErrorCode InvalidSignature = new("invalid_signature", 401, "The webhook signature or secret token is missing or wrong.");

    // Monitoring and alerting
    public static readonly ErrorCode MonitorNotFound = new("monitor_not_found", 404, "No monitor has this id.");
    public static readonly ErrorCode MonitorExists = new("monitor_exists", 409, "A monitor with this id already exists.");
    public static readonly ErrorCode DeclaredInConfiguration = new("declared_in_configuration", 409, "It is declared in configuration (Monitoring:Monitors or Monitoring:Rules) and changes there, not through the API.");
    public static readonly ErrorCode NotAHeartbeatMonitor = new("not_a_heartbeat_monitor", 409, "Only heartbeat monitors take heartbeats.");
    public static readonly ErrorCode AlertRuleNotFound = new("alert_rule_not_found", 404, "No alert rule has this id.");
    public static readonly ErrorCode AlertRuleExists = new("alert_rule_exists", 409, "An alert rule with this id already exists.");
    public static readonly ErrorCode IncidentNotFound = new("incident_not_found", 404, "No incident has this id.");
    public static readonly ErrorCode IncidentState = new("incident_state", 409, "The incident is not in a state that allows this (acknowledge needs firing, resolve needs open).");
    public static readonly ErrorCode SilenceNotFound = new("silence_not_found", 404, "No silence or maintenance window has this id.");

    // Server side
    public static readonly ErrorCode InternalError = new("internal_error", 500, "An unexpected error occurred; the trace id identifies it in the logs.");
    public static readonly ErrorCode Unavailable = new("unavailable", 503, "A dependency is unavailable; retry later.", "checks");

    /// <summary>Every code, for documentation and for mapping a bare status code to a problem.</summary>
    public static IReadOnlyList<ErrorCode> All { get; } = typeof(ErrorCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorCode))
        .Select(f => (ErrorCode)f.GetValue(null)!)
        .ToArray();

    /// <summary>The generic code for a status that was produced without one (routing, the framework).</summary>
    public static ErrorCode ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => RouteNotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        416 => RangeNotSatisfiable,
        429 => RateLimited,
        503 => Unavailable,
        >= 500 => InternalError,
        _ => new ErrorCode("http_" + status, status, "The request failed."),
    };
}
