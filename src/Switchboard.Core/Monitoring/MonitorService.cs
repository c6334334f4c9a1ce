using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Monitoring;

/// <summary>
/// Monitors over any transport: create, replace, delete (monitors from configuration are read-only), heartbeats,
/// results and roll-ups, stats over a window. Reading needs <c>monitoring:read</c>, changing <c>monitoring:manage</c>,
/// a heartbeat <c>monitoring:heartbeat</c>.
/// </summary>
public sealed class MonitorService(IMonitoringStore store, MonitorScheduler scheduler, TimeProvider time)
{
    public const string Area = "monitoring";
    public const string Read = "read";
    public const string Manage = "manage";
    public const string Heartbeat = "heartbeat";
    public const int MaxResults = 10_000;

    public async Task<IReadOnlyList<MonitorDetails>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Read);
        var states = (await store.ListStatesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.MonitorId, StringComparer.Ordinal);
        return (await store.ListMonitorsAsync(cancellationToken).ConfigureAwait(false))
            .Select(m => new MonitorDetails(m, states.TryGetValue(m.Id, out var s) ? s : MonitorState.Initial(m.Id))).ToArray();
    }

    public async Task<MonitorDetails> GetAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Read);
        var monitor = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var state = (await store.ListStatesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.MonitorId == id);
        return new MonitorDetails(monitor, state ?? MonitorState.Initial(id));
    }

    /// <summary>Creates a monitor (<paramref name="replace"/> false: its id must be new) or replaces one, keeping its creation time.</summary>
    public async Task<(MonitorSpec Monitor, bool Created)> SaveAsync(Caller caller, MonitorSpec monitor, bool replace, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage);
        var validation = new Validation();
        MonitoringValidation.Monitor(validation, monitor, "");
        validation.ThrowIfInvalid();
        var existing = await store.GetMonitorAsync(monitor.Id, cancellationToken).ConfigureAwait(false);
        if (existing is not null && !replace)
        {
            throw new SwitchboardException(ErrorCodes.MonitorExists, $"A monitor '{monitor.Id}' already exists; PUT /v1/monitors/{monitor.Id} replaces it.");
        }
        if (existing?.Source == "config")
        {
            throw new SwitchboardException(ErrorCodes.DeclaredInConfiguration, $"The monitor '{monitor.Id}' is declared under Monitoring:Monitors; change it there.");
        }
        var now = time.GetUtcNow();
        var saved = monitor with { Source = "api", CreatedAt = existing?.CreatedAt ?? now, UpdatedAt = now };
        var created = await store.UpsertMonitorAsync(saved, cancellationToken).ConfigureAwait(false);
        scheduler.Changed();
        return (saved, created);
    }

    public async Task DeleteAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage);
        var monitor = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (monitor.Source == "config")
        {
            throw new SwitchboardException(ErrorCodes.DeclaredInConfiguration, $"The monitor '{id}' is declared under Monitoring:Monitors; remove it there.");
        }
        await store.DeleteMonitorAsync(id, cancellationToken).ConfigureAwait(false);
        scheduler.Changed();
    }

    public async Task HeartbeatAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Heartbeat, id);
        var monitor = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (monitor.Kind != MonitorKinds.Heartbeat)
        {
            throw new SwitchboardException(ErrorCodes.NotAHeartbeatMonitor, $"The monitor '{id}' is a {monitor.Kind} monitor; only heartbeat monitors take heartbeats.");
        }
        await store.SetMarkAsync(HeartbeatProbe.MarkFor(id), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raw checks (no <paramref name="step"/>), or roll-ups per minute (<c>1m</c>) or hour (<c>1h</c>), from oldest.</summary>
    public async Task<(IReadOnlyList<MonitorResult> Results, IReadOnlyList<MonitorRollup> Rollups)> ResultsAsync(Caller caller, string id, DateTimeOffset? from,
        DateTimeOffset? to, string? step, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Read);
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddHours(-1);
        if (start >= end)
        {
            throw SwitchboardException.Validation("from", "from must be before to.");
        }
        if (step is null)
        {
            return (await store.ListResultsAsync(id, start, end, MaxResults, cancellationToken).ConfigureAwait(false), []);
        }
        var resolution = MonitoringDurations.Parse(step, "step", TimeSpan.FromDays(1));
        if (resolution != TimeSpan.FromMinutes(1) && resolution != TimeSpan.FromHours(1))
        {
            throw SwitchboardException.Validation("step", "step must be 1m (minute roll-ups) or 1h (hour roll-ups); leave it out for every check.");
        }
        return ([], await store.ListRollupsAsync(id, (int)resolution.TotalSeconds, start, end, cancellationToken).ConfigureAwait(false));
    }

    public async Task<MonitorStats> StatsAsync(Caller caller, string id, string? window, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Read);
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var span = window is null ? TimeSpan.FromHours(1) : MonitoringDurations.Parse(window, "window", TimeSpan.FromDays(2));
        var now = time.GetUtcNow();
        var results = await store.ListResultsAsync(id, now - span, now.AddTicks(1), int.MaxValue, cancellationToken).ConfigureAwait(false);
        return MonitorStats.From(id, span, results);
    }

    public async Task ClearStatsAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage);
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
        await store.ClearStatsAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MonitorSpec> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.GetMonitorAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new SwitchboardException(ErrorCodes.MonitorNotFound, $"No monitor '{id}' exists.");
}
