namespace Switchboard.Client;

/// <summary>A queue and its settings, as the server describes it.</summary>
/// <param name="Name">The queue's name.</param>
/// <param name="LeaseSeconds">How long a received message stays leased before it is delivered again.</param>
/// <param name="MaxDeliveries">Deliveries before a message moves to the dead-letter queue; 0 means never.</param>
/// <param name="DeadLetterQueue">Where failed messages go; null for none.</param>
/// <param name="RetentionSeconds">Longest a message is kept after it is enqueued; null keeps it until settled.</param>
/// <param name="MaxLength">Most messages the queue holds; null for no limit.</param>
/// <param name="DedupWindowSeconds">How long an idempotency key is remembered.</param>
/// <param name="Ordering"><c>none</c>, <c>fifo</c> or <c>fifo-by-group</c>.</param>
/// <param name="CreatedAt">When the queue was created (UTC).</param>
/// <param name="Stats">The queue's counters, when the call returns them (list and get do).</param>
public sealed record Queue(
    string Name,
    int LeaseSeconds,
    int MaxDeliveries,
    string? DeadLetterQueue,
    int? RetentionSeconds,
    int? MaxLength,
    int DedupWindowSeconds,
    string Ordering,
    DateTimeOffset CreatedAt,
    QueueStats? Stats);
