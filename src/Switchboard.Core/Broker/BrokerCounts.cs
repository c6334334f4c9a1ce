namespace Switchboard.Broker;

/// <summary>Counts of broker events, either totals since start or per-second rates over a recent window.</summary>
public sealed record BrokerCounts(double Published, double Delivered, double Acked, double Nacked, double Redelivered, double DeadLettered)
{
    public static BrokerCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public BrokerCounts Plus(BrokerCounts other) => new(
        Published + other.Published, Delivered + other.Delivered, Acked + other.Acked,
        Nacked + other.Nacked, Redelivered + other.Redelivered, DeadLettered + other.DeadLettered);

    /// <summary>(this − earlier) / seconds: the rate between two snapshots of totals.</summary>
    public BrokerCounts RateSince(BrokerCounts earlier, double seconds) => seconds <= 0 ? Zero : new(
        (Published - earlier.Published) / seconds, (Delivered - earlier.Delivered) / seconds, (Acked - earlier.Acked) / seconds,
        (Nacked - earlier.Nacked) / seconds, (Redelivered - earlier.Redelivered) / seconds, (DeadLettered - earlier.DeadLettered) / seconds);
}
