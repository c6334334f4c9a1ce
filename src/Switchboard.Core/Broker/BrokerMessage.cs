namespace Switchboard.Broker;

/// <summary>A message as a consumer or a peek sees it.</summary>
/// <param name="Lease">The lease token of this delivery; null when peeked.</param>
/// <param name="State"><c>ready</c>, <c>delayed</c> or <c>inFlight</c>.</param>
/// <param name="SourceQueue">For a dead letter, the queue it came from.</param>
public sealed record BrokerMessage(
    Guid Id,
    ReadOnlyMemory<byte> Body,
    BodyEncoding Encoding,
    IReadOnlyDictionary<string, string> Headers,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt,
    int Priority,
    string? GroupKey,
    string? Lease,
    DateTimeOffset? LeaseExpiresAt,
    string State,
    DateTimeOffset? AvailableAt,
    string? SourceQueue,
    IReadOnlyList<DeliveryRecord> History)
{
    public const string Ready = "ready";
    public const string Delayed = "delayed";
    public const string InFlight = "inFlight";
}
