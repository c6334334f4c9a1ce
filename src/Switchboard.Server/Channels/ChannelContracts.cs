using Switchboard.Channels;

namespace Switchboard.Server.Channels;

/// <summary>The JSON shapes of the channel and delivery APIs. Credentials only ever appear masked.</summary>
internal static class ChannelContracts
{
    public const string Mask = "********";

    public sealed record ChannelResponse(
        string Name,
        string? Type,
        bool Enabled,
        string Circuit,
        string? BaseUrl,
        string? WebhookUrl,
        string? PhoneNumberId,
        string? SmtpHost,
        int? SmtpPort,
        string? SmtpFrom,
        double RatePerSecond,
        double TimeoutSeconds,
        IReadOnlyDictionary<string, string> Credentials,
        IReadOnlyList<string> Routes,
        ChannelCapabilities? Capabilities)
    {
        public static ChannelResponse From(string name, ChannelInstanceOptions o, ChannelRegistry registry, ChannelResilience resilience)
        {
            var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
            void Add(string key, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    credentials[key] = Mask;
                }
            }
            Add("token", o.Token);
            Add("appSecret", o.AppSecret);
            Add("verifyToken", o.VerifyToken);
            Add("botToken", o.BotToken);
            Add("secretToken", o.SecretToken);
            Add("secret", o.Secret);
            Add("smtpPassword", o.Smtp.Password);
            var email = o.Type == ChannelTypes.Email;
            // Slack and Discord webhook URLs carry their secret in the path: show the host only.
            var webhook = o.WebhookUrl is null ? null
                : o.Type == ChannelTypes.Webhook ? o.WebhookUrl
                : Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/{Mask}" : Mask;
            return new ChannelResponse(name, o.Type, registry.IsEnabled(name), resilience.CircuitState(name), o.BaseUrl, webhook, o.PhoneNumberId,
                email ? o.Smtp.Host : null, email ? o.Smtp.Port : null, email ? o.Smtp.From : null, o.RatePerSecond, o.Timeout.TotalSeconds, credentials,
                registry.Options.Routes.Where(r => r.Value.Contains(name)).Select(r => r.Key).Order(StringComparer.Ordinal).ToArray(),
                o.Type is null ? null : ChannelCapabilities.For(o.Type));
        }
    }

    public sealed record ChannelListResponse(IReadOnlyList<ChannelResponse> Channels, IReadOnlyDictionary<string, List<string>> Routes);

    public sealed record ChannelPatchRequest(bool? Enabled);

    public sealed record ChannelTestRequest(string? Recipient, string? Text);

    public sealed record ChannelTestResponse(string Channel, bool Ok, string? ProviderId, string? ErrorCode, string? ErrorMessage,
        IReadOnlyList<AttemptResponse> Attempts);

    public sealed record ChannelStatsResponse(IReadOnlyList<ChannelStats> Channels);

    public sealed record AttemptResponse(string Channel, DateTimeOffset At, string Outcome, long LatencyMs, int? StatusCode, string? ErrorCode,
        string? ErrorMessage)
    {
        public static AttemptResponse From(DeliveryAttempt a) => new(a.Channel, a.At, a.Outcome, a.LatencyMs, a.StatusCode, a.ErrorCode, a.ErrorMessage);
    }

    public sealed record DeliveryResponse(
        Guid Id,
        Guid? NotificationId,
        Guid? ConversationId,
        Guid? MessageId,
        string Channel,
        IReadOnlyList<string> Route,
        string Status,
        string? ProviderId,
        string? ErrorCode,
        string? ErrorMessage,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        IReadOnlyList<AttemptResponse>? Attempts)
    {
        public static DeliveryResponse From(Delivery d, IEnumerable<DeliveryAttempt>? attempts = null) => new(d.Id, d.NotificationId, d.ConversationId,
            d.MessageId, d.Channel, d.Route, d.Status, d.ProviderId, d.ErrorCode, d.ErrorMessage, d.CreatedAt, d.UpdatedAt,
            attempts?.Select(AttemptResponse.From).ToArray());
    }

    public sealed record DeadLetterResponse(Guid DeliveryId, Guid? NotificationId, IReadOnlyList<string> Route, string? ErrorCode, string? ErrorMessage,
        IReadOnlyList<AttemptResponse> Attempts)
    {
        public static DeadLetterResponse From(DeadLetter d) =>
            new(d.DeliveryId, d.NotificationId, d.Route, d.ErrorCode, d.ErrorMessage, d.Attempts.Select(AttemptResponse.From).ToArray());
    }

    public sealed record DeadLetterListResponse(IReadOnlyList<DeadLetterResponse> DeadLetters);

    public sealed record ReplayRequest(IReadOnlyList<Guid>? Ids);

    public sealed record ReplayResponse(IReadOnlyList<Guid> Replayed);
}
