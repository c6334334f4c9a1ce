namespace Switchboard.Monitoring;

/// <summary>What an internal monitor reads from the server's own broker.</summary>
public static class InternalMetrics
{
    public const string QueueDepth = "queue_depth";
    public const string DeadLetterDepth = "dlq_depth";
    public const string OldestAgeSeconds = "oldest_age_seconds";
}
