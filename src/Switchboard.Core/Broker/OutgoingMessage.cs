namespace Switchboard.Broker;

/// <summary>A message to publish. The body stays bytes from the edge to the disk.</summary>
public sealed record OutgoingMessage(ReadOnlyMemory<byte> Body)
{
    public BodyEncoding Encoding { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public TimeSpan Delay { get; init; }

    public TimeSpan? TimeToLive { get; init; }

    /// <summary>0 (lowest) to 9 (highest).</summary>
    public int Priority { get; init; }

    public string? GroupKey { get; init; }

    public string? IdempotencyKey { get; init; }
}
