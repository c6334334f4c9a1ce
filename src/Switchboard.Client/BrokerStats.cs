namespace Switchboard.Client;

/// <summary>The totals over every queue the caller may see (<c>GET /v1/stats</c>).</summary>
/// <param name="Queues">How many queues are counted.</param>
/// <param name="Depth">Every message held, summed over the queues.</param>
/// <param name="Ready">Ready messages, summed.</param>
/// <param name="InFlight">Leased messages, summed.</param>
/// <param name="Delayed">Delayed messages, summed.</param>
/// <param name="PerQueue">Each queue's own counters.</param>
public sealed record BrokerStats(int Queues, long Depth, long Ready, long InFlight, long Delayed, IReadOnlyList<QueueStats> PerQueue)
{
    /// <summary>How long the answering node has been running.</summary>
    public double UptimeSeconds { get; init; }

    /// <summary>Events over every queue since the answering node started.</summary>
    public BrokerActivityCounts? Totals { get; init; }

    /// <summary>Events per second over every queue in the last minute.</summary>
    public BrokerActivityCounts? Rates { get; init; }

    /// <summary>The server process's CPU and memory.</summary>
    public ServerProcessStats? Process { get; init; }
}
