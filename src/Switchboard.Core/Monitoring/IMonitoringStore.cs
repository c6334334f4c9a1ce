namespace Switchboard.Monitoring;

/// <summary>
/// Monitors, their results and roll-ups, alert rules, incidents with their timelines and owed notices, and silences;
/// one implementation per engine. Every incident transition is one commit (<see cref="ApplyAsync"/>), guarded by the
/// incident's version, so two nodes that evaluate the same transition cannot both apply it.
/// </summary>
public interface IMonitoringStore
{
    /// <summary>Inserts or replaces a monitor; true when it was new.</summary>
    Task<bool> UpsertMonitorAsync(MonitorSpec monitor, CancellationToken cancellationToken = default);

    Task<MonitorSpec?> GetMonitorAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MonitorSpec>> ListMonitorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the monitor with its state, results and roll-ups; false when it did not exist.</summary>
    Task<bool> DeleteMonitorAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Stores the results and each monitor's state after them, in one commit.</summary>
    Task RecordAsync(IReadOnlyList<(MonitorResult Result, MonitorState State)> checks, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MonitorState>> ListStatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Results with <paramref name="from"/> ≤ at &lt; <paramref name="to"/>, oldest first; every monitor when <paramref name="monitorId"/> is null.</summary>
    Task<IReadOnlyList<MonitorResult>> ListResultsAsync(string? monitorId, DateTimeOffset from, DateTimeOffset to, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces roll-ups by (monitor, resolution, bucket).</summary>
    Task UpsertRollupsAsync(IReadOnlyList<MonitorRollup> rollups, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MonitorRollup>> ListRollupsAsync(string monitorId, int resolutionSeconds, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default);

    /// <summary>Forgets a monitor's results and roll-ups (its state stays).</summary>
    Task ClearStatsAsync(string monitorId, CancellationToken cancellationToken = default);

    /// <summary>Deletes results, minute and hour roll-ups older than their cut-offs; returns the rows deleted.</summary>
    Task<long> PruneAsync(DateTimeOffset resultsBefore, DateTimeOffset minutesBefore, DateTimeOffset hoursBefore, CancellationToken cancellationToken = default);

    /// <summary>A named time mark (e.g. how far roll-ups have got); null when never set.</summary>
    Task<DateTimeOffset?> GetMarkAsync(string name, CancellationToken cancellationToken = default);

    Task SetMarkAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default);

    Task<bool> UpsertRuleAsync(AlertRule rule, CancellationToken cancellationToken = default);

    Task<AlertRule?> GetRuleAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AlertRule>> ListRulesAsync(CancellationToken cancellationToken = default);

    Task<bool> DeleteRuleAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AlertState>> ListAlertStatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets or clears alert states that carry no transition (a condition turning true or false before it fires).</summary>
    Task SetAlertStateAsync(AlertState? set, AlertStateKey? clear, CancellationToken cancellationToken = default);

    /// <summary>Applies one transition in one commit; false (and nothing written) when the version check fails.</summary>
    Task<bool> ApplyAsync(IncidentChange change, CancellationToken cancellationToken = default);

    Task<Incident?> GetIncidentAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The incident's timeline, oldest first.</summary>
    Task<IReadOnlyList<IncidentEvent>> ListEventsAsync(Guid incidentId, CancellationToken cancellationToken = default);

    /// <summary>Appends lines that are no transition (a comment).</summary>
    Task AppendEventsAsync(IReadOnlyList<IncidentEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Notices not yet sent, oldest first.</summary>
    Task<IReadOnlyList<IncidentNotice>> ListPendingNoticesAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks the notice done and appends what became of it, in one commit; false when it was already done.</summary>
    Task<bool> CompleteNoticeAsync(string key, IncidentEvent outcome, CancellationToken cancellationToken = default);

    Task CreateSilenceAsync(Silence silence, CancellationToken cancellationToken = default);

    Task<Silence?> GetSilenceAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Silences whose end is after <paramref name="endsAfter"/> (every one when null), by start.</summary>
    Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset? endsAfter, CancellationToken cancellationToken = default);

    Task<bool> DeleteSilenceAsync(Guid id, CancellationToken cancellationToken = default);
}
