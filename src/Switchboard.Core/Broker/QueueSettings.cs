namespace Switchboard.Broker;

/// <summary>The settings of one queue. Times are whole seconds, as in the API.</summary>
/// <param name="MaxDeliveries">Deliveries before a message moves to the dead-letter queue; 0 means never.</param>
/// <param name="DeadLetterQueue">Where messages go after <paramref name="MaxDeliveries"/> or a reject; null for none.</param>
/// <param name="RetentionSeconds">Longest a message is kept after it is enqueued; null keeps it until settled.</param>
/// <param name="MaxLength">Most messages the queue holds (ready, delayed and in flight); null for no limit.</param>
public sealed record QueueSettings(
    int LeaseSeconds,
    int MaxDeliveries,
    string? DeadLetterQueue,
    int? RetentionSeconds,
    int? MaxLength,
    int DedupWindowSeconds,
    QueueOrdering Ordering)
{
    public const int DefaultLeaseSeconds = 30;
    public const int DefaultMaxDeliveries = 5;
    public const int DefaultDedupWindowSeconds = 300;

    /// <summary>The settings of a new queue named <paramref name="name"/> when nothing is given.</summary>
    public static QueueSettings Default(string name) =>
        new(DefaultLeaseSeconds, DefaultMaxDeliveries, DeadLetterName(name), null, null, DefaultDedupWindowSeconds, QueueOrdering.None);

    /// <summary>A dead-letter queue keeps what it receives: it has no dead-letter queue of its own.</summary>
    public static QueueSettings ForDeadLetters() =>
        new(DefaultLeaseSeconds, 0, null, null, null, DefaultDedupWindowSeconds, QueueOrdering.None);

    public static string DeadLetterName(string queue) => queue + ".dlq";
}
