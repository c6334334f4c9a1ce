using Switchboard.Broker;

namespace Switchboard.Sqlite.Broker;

/// <summary>
/// One message as the embedded engine tracks it in memory. The row holds the durable part; the lease
/// (delivery number, nonce, expiry) lives only here. Guarded by its queue's lock.
/// </summary>
internal sealed class MessageEntry
{
    public required Guid Id { get; init; }

    public long Seq { get; set; }

    public int Priority { get; init; }

    public string? GroupKey { get; init; }

    public long EnqueuedAt { get; set; }

    public long AvailableAt { get; set; }

    public long? ExpiresAt { get; set; }

    public int DeliveryCount { get; set; }

    public BodyEncoding Encoding { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Null when the body is not cached: it is read from the row at delivery.</summary>
    public byte[]? Body { get; set; }

    public string? SourceQueue { get; set; }

    public List<DeliveryRecord> History { get; set; } = [];

    public EntryState State { get; set; }

    public ulong LeaseNonce { get; set; }

    public long LeaseExpiresAt { get; set; }

    public long DeliveredAt { get; set; }
}

internal enum EntryState
{
    Ready,
    Delayed,
    InFlight,

    /// <summary>A write about this message (settle, move) is on its way to the disk; nobody may touch it meanwhile.</summary>
    Busy,
}
