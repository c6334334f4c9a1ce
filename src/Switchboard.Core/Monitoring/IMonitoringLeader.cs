namespace Switchboard.Monitoring;

/// <summary>
/// Elects the one node that schedules probes and evaluates rules. On one node (SQLite) that node always leads; on
/// PostgreSQL the node holding a session advisory lock leads, as the broker's sweeper does.
/// </summary>
public interface IMonitoringLeader
{
    bool IsLeader { get; }

    /// <summary>Completes once this node leads, with a token cancelled when it stops leading.</summary>
    Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken);
}
