namespace Switchboard.Broker;

/// <summary>A queue's counters at one moment.</summary>
/// <param name="Depth">Every message the queue holds: ready, delayed and in flight.</param>
/// <param name="DeadLetterDepth">Messages in this queue's dead-letter queue, 0 when it has none.</param>
/// <param name="OldestAgeSeconds">Age of the oldest message held, null when empty.</param>
public sealed record QueueStats(string Name, long Depth, long Ready, long InFlight, long Delayed, long DeadLetterDepth, double? OldestAgeSeconds);
