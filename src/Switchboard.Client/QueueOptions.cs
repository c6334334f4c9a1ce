namespace Switchboard.Client;

/// <summary>
/// Settings for creating or updating a queue. A null member keeps the current value (or the server's default on create);
/// <c>0</c> clears <see cref="RetentionSeconds"/> and <see cref="MaxLength"/>; an empty <see cref="DeadLetterQueue"/> means none.
/// </summary>
public sealed record QueueOptions
{
    /// <summary>How long a received message stays leased (1–43200 s; default 30).</summary>
    public int? LeaseSeconds { get; init; }

    /// <summary>Deliveries before a message is dead-lettered (0–1000; 0 never; default 5).</summary>
    public int? MaxDeliveries { get; init; }

    /// <summary>The dead-letter queue (default <c>&lt;name&gt;.dlq</c>); empty for none.</summary>
    public string? DeadLetterQueue { get; init; }

    /// <summary>Longest a message is kept after it is enqueued; 0 keeps it until settled.</summary>
    public int? RetentionSeconds { get; init; }

    /// <summary>Most messages the queue holds; 0 for no limit.</summary>
    public int? MaxLength { get; init; }

    /// <summary>How long an idempotency key is remembered (default 300 s).</summary>
    public int? DedupWindowSeconds { get; init; }

    /// <summary><c>none</c> (default), <c>fifo</c> or <c>fifo-by-group</c>.</summary>
    public string? Ordering { get; init; }
}
