namespace Switchboard.Client;

/// <summary>A queue's counters at one moment.</summary>
/// <param name="Name">The queue's name.</param>
/// <param name="Depth">Every message the queue holds: ready, delayed and in flight.</param>
/// <param name="Ready">Messages a receive can take now.</param>
/// <param name="InFlight">Messages leased to a consumer and not yet settled.</param>
/// <param name="Delayed">Messages not yet due.</param>
/// <param name="DeadLetterDepth">Messages in the queue's dead-letter queue; 0 when it has none.</param>
/// <param name="OldestAgeSeconds">Age of the oldest message held; null when the queue is empty.</param>
public sealed record QueueStats(string Name, long Depth, long Ready, long InFlight, long Delayed, long DeadLetterDepth, double? OldestAgeSeconds)
{
    /// <summary>Events on this queue since the answering node started; null where the server does not report them.</summary>
    public BrokerActivityCounts? Totals { get; init; }

    /// <summary>Events per second on this queue over the last minute, on the answering node.</summary>
    public BrokerActivityCounts? Rates { get; init; }
}
