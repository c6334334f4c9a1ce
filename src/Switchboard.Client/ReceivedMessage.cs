using System.Text;

namespace Switchboard.Client;

/// <summary>A message as a receive or a peek returns it.</summary>
/// <param name="Id">The message id (UUIDv7).</param>
/// <param name="Body">The body as sent on the wire: text, or base64 when <paramref name="BodyEncoding"/> is <c>base64</c>.</param>
/// <param name="BodyEncoding"><c>utf8</c> or <c>base64</c>.</param>
/// <param name="Headers">The message's headers; a topic message carries its subject in <c>$subject</c>.</param>
/// <param name="DeliveryCount">How often the message has been delivered, this delivery included.</param>
/// <param name="EnqueuedAt">When the message was published (UTC).</param>
/// <param name="Priority">0 (lowest) to 9 (highest).</param>
/// <param name="GroupKey">The ordering group, when set.</param>
/// <param name="Lease">The lease token to ack, nack or extend this delivery; null when peeked.</param>
/// <param name="LeaseExpiresAt">When the lease ends; null when peeked.</param>
/// <param name="State">For a peek: <c>ready</c>, <c>delayed</c> or <c>inFlight</c>.</param>
/// <param name="AvailableAt">For a delayed message, when it becomes available.</param>
/// <param name="SourceQueue">For a dead letter, the queue it came from.</param>
/// <param name="History">The failed deliveries of the message, oldest first; null when none.</param>
public sealed record ReceivedMessage(
    Guid Id,
    string Body,
    string BodyEncoding,
    IReadOnlyDictionary<string, string> Headers,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt,
    int Priority,
    string? GroupKey,
    string? Lease,
    DateTimeOffset? LeaseExpiresAt,
    string? State,
    DateTimeOffset? AvailableAt,
    string? SourceQueue,
    IReadOnlyList<DeliveryRecord>? History)
{
    /// <summary>The body as bytes, decoded from base64 when needed.</summary>
    public byte[] GetBodyBytes() => BodyEncoding == "base64" ? Convert.FromBase64String(Body) : Encoding.UTF8.GetBytes(Body);

    /// <summary>The body as text (binary bodies are decoded as UTF-8).</summary>
    public string GetBodyString() => BodyEncoding == "base64" ? Encoding.UTF8.GetString(GetBodyBytes()) : Body;
}
