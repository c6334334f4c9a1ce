using Switchboard.Monitoring;

namespace Switchboard.Engine.Tests.Monitoring;

/// <summary>What every engine's <see cref="IMonitoringStore"/> must do. Subclassed once per engine; each test gets a fresh database.</summary>
public abstract class MonitoringStoreConformance : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IMonitoringStore? _store;

    protected IMonitoringStore Store => _store!;

    protected abstract Task<IMonitoringStore> OpenStoreAsync();

    /// <summary>Another store over the same database, as a second node would have (on an embedded engine, the same store).</summary>
    protected abstract Task<IMonitoringStore> OpenSecondNodeAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync().WaitAsync(Timeout);

    public abstract Task DisposeAsync();

    private static MonitorSpec Http(string id) => new()
    {
        Id = id, Kind = MonitorKinds.Http, Url = "https://example.com/health", Method = "POST", IntervalSeconds = 20, Retries = 2,
        Labels = new Dictionary<string, string> { ["team"] = "payments" }, Headers = new Dictionary<string, string> { ["X-Probe"] = "1" },
        ExpectedStatuses = ["200-299"], Keyword = "ok", CreatedAt = T0, UpdatedAt = T0,
    };

    private static Incident NewIncident(Guid id, string status = Incident.Firing, long version = 1) => new()
    {
        Id = id, RuleId = "rule-1", Subject = "api", Status = status, Severity = "critical", Title = "api is down",
        Labels = new Dictionary<string, string> { ["monitor"] = "api" }, Routes = ["oncall", "managers"], StartedAt = T0, LevelSince = T0,
        Version = version,
    };

    [Fact]
    public async Task A_monitor_round_trips_with_every_field_and_an_upsert_replaces_it()
    {
        Assert.True(await Store.UpsertMonitorAsync(Http("api")).WaitAsync(Timeout));
        Assert.False(await Store.UpsertMonitorAsync(Http("api") with { IntervalSeconds = 30 }).WaitAsync(Timeout));
        await Store.UpsertMonitorAsync(Http("web")).WaitAsync(Timeout);

        var api = await Store.GetMonitorAsync("api").WaitAsync(Timeout);
        Assert.NotNull(api);
        Assert.Equal(30, api.IntervalSeconds);
        Assert.Equal("payments", api.Labels["team"]);
        Assert.Equal("1", api.Headers["X-Probe"]);
        Assert.Equal(["200-299"], api.ExpectedStatuses);
        Assert.Equal(["api", "web"], (await Store.ListMonitorsAsync().WaitAsync(Timeout)).Select(m => m.Id));
        Assert.True(await Store.DeleteMonitorAsync("api").WaitAsync(Timeout));
        Assert.False(await Store.DeleteMonitorAsync("api").WaitAsync(Timeout));
        Assert.Null(await Store.GetMonitorAsync("api").WaitAsync(Timeout));
    }

    [Fact]
    public async Task Results_are_stored_per_check_with_the_state_and_listed_by_window()
    {
        var state = MonitorState.Initial("api");
        var checks = new List<(MonitorResult, MonitorState)>();
        for (var i = 0; i < 5; i++)
        {
            var result = new MonitorResult("api", T0.AddSeconds(20 * i), i != 3, 10 + i, i == 3 ? 503 : 200, i == 3 ? "status 503" : null, i == 3);
            state = state.After(result, retries: 0);
            checks.Add((result, state));
        }
        await Store.RecordAsync(checks).WaitAsync(Timeout);
        await Store.RecordAsync([(new MonitorResult("web", T0, true, 5, 200, null, false), MonitorState.Initial("web"))]).WaitAsync(Timeout);

        var window = await Store.ListResultsAsync("api", T0.AddSeconds(20), T0.AddSeconds(80), 100).WaitAsync(Timeout);
        Assert.Equal([11.0, 12.0, 13.0], window.Select(r => r.LatencyMs));
        var failed = window[2];
        Assert.False(failed.Up);
        Assert.True(failed.Errored);
        Assert.Equal(503, failed.StatusCode);
        Assert.Equal("status 503", failed.Error);
        Assert.Equal(T0.AddSeconds(60), failed.At);
        Assert.Equal(6, (await Store.ListResultsAsync(null, T0, T0.AddHours(1), 100).WaitAsync(Timeout)).Count);

        var states = await Store.ListStatesAsync().WaitAsync(Timeout);
        var api = Assert.Single(states, s => s.MonitorId == "api");
        Assert.Equal(MonitorState.Up, api.Status);
        Assert.Equal(T0.AddSeconds(80), api.LastCheckAt);
    }

    [Fact]
    public async Task Rollups_replace_their_bucket_and_clear_and_prune_remove_what_they_name()
    {
        var results = Enumerable.Range(0, 6).Select(i => new MonitorResult("api", T0.AddSeconds(20 * i), i != 0, 100 * (i + 1), 200, null, false)).ToArray();
        await Store.RecordAsync(results.Select(r => (r, MonitorState.Initial("api"))).ToArray()).WaitAsync(Timeout);
        var minutes = MonitorRollup.From(results, TimeSpan.FromMinutes(1));
        Assert.Equal(2, minutes.Count);
        await Store.UpsertRollupsAsync(minutes).WaitAsync(Timeout);
        await Store.UpsertRollupsAsync([minutes[0] with { Checks = 99 }]).WaitAsync(Timeout);
        await Store.UpsertRollupsAsync(MonitorRollup.From(results, TimeSpan.FromHours(1))).WaitAsync(Timeout);

        var stored = await Store.ListRollupsAsync("api", 60, T0, T0.AddHours(1)).WaitAsync(Timeout);
        Assert.Equal([99, 3], stored.Select(r => r.Checks));
        Assert.Equal(300, stored[0].LatencyP99);
        var hour = Assert.Single(await Store.ListRollupsAsync("api", 3600, T0.AddHours(-1), T0.AddHours(1)).WaitAsync(Timeout));
        Assert.Equal(5, hour.UpChecks);

        Assert.Equal(3 + 1, await Store.PruneAsync(T0.AddSeconds(60), T0.AddSeconds(1), T0).WaitAsync(Timeout));
        Assert.Equal(3, (await Store.ListResultsAsync("api", T0, T0.AddHours(1), 100).WaitAsync(Timeout)).Count);
        await Store.ClearStatsAsync("api").WaitAsync(Timeout);
        Assert.Empty(await Store.ListResultsAsync("api", T0, T0.AddHours(1), 100).WaitAsync(Timeout));
        Assert.Empty(await Store.ListRollupsAsync("api", 3600, T0.AddHours(-1), T0.AddHours(1)).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Marks_and_rules_round_trip()
    {
        Assert.Null(await Store.GetMarkAsync("rollup").WaitAsync(Timeout));
        await Store.SetMarkAsync("rollup", T0).WaitAsync(Timeout);
        await Store.SetMarkAsync("rollup", T0.AddMinutes(1)).WaitAsync(Timeout);
        Assert.Equal(T0.AddMinutes(1), await Store.GetMarkAsync("rollup").WaitAsync(Timeout));

        var rule = new AlertRule
        {
            Id = "slow", Signal = AlertSignals.LatencyP95, Operator = ">", Threshold = 2000, ForSeconds = 60, Severity = "warning",
            MatchLabels = new Dictionary<string, string> { ["team"] = "payments" }, Routes = ["oncall", "managers"], EscalateAfterRepeats = 2,
            Annotations = new Dictionary<string, string> { ["summary"] = "{{monitor}} is slow" }, CreatedAt = T0, UpdatedAt = T0,
        };
        Assert.True(await Store.UpsertRuleAsync(rule).WaitAsync(Timeout));
        Assert.False(await Store.UpsertRuleAsync(rule with { Threshold = 3000 }).WaitAsync(Timeout));
        var stored = await Store.GetRuleAsync("slow").WaitAsync(Timeout);
        Assert.Equal(3000, stored!.Threshold);
        Assert.Equal(["oncall", "managers"], stored.Routes);
        Assert.Equal(2, stored.EscalateAfterRepeats);
        Assert.Single(await Store.ListRulesAsync().WaitAsync(Timeout));
        Assert.True(await Store.DeleteRuleAsync("slow").WaitAsync(Timeout));
        Assert.Empty(await Store.ListRulesAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_transition_commits_the_incident_its_timeline_its_notices_and_the_alert_state_together()
    {
        var id = Guid.CreateVersion7();
        var opened = new IncidentChange(NewIncident(id), null,
            [new IncidentEvent(id, T0, "opened", "monitor_down == 1 for 60 s")],
            [new IncidentNotice($"{id:N}:firing:0", id, "firing", "oncall", T0)],
            SetState: new AlertState("rule-1", "api", T0.AddSeconds(-60), id));

        Assert.True(await Store.ApplyAsync(opened).WaitAsync(Timeout));
        Assert.False(await Store.ApplyAsync(opened).WaitAsync(Timeout));

        var incident = await Store.GetIncidentAsync(id).WaitAsync(Timeout);
        Assert.Equal(["oncall", "managers"], incident!.Routes);
        Assert.Equal(id, Assert.Single(await Store.ListAlertStatesAsync().WaitAsync(Timeout)).IncidentId);
        Assert.Single(await Store.ListEventsAsync(id).WaitAsync(Timeout));
        var notice = Assert.Single(await Store.ListPendingNoticesAsync(10).WaitAsync(Timeout));
        Assert.Equal("oncall", notice.Route);

        var resolved = NewIncident(id, Incident.Resolved, version: 2) with { ResolvedAt = T0.AddMinutes(5) };
        var resolve = new IncidentChange(resolved, 1, [new IncidentEvent(id, T0.AddMinutes(5), "resolved", "monitor_down == 0")],
            [new IncidentNotice($"{id:N}:resolved", id, "resolved", "oncall", T0.AddMinutes(5))], ClearState: new AlertStateKey("rule-1", "api"));
        // A second node computing the same transition from the same version loses.
        var second = await OpenSecondNodeAsync().WaitAsync(Timeout);
        var outcomes = await Task.WhenAll(Store.ApplyAsync(resolve), second.ApplyAsync(resolve)).WaitAsync(Timeout);
        Assert.Single(outcomes, applied => applied);

        Assert.Equal(Incident.Resolved, (await Store.GetIncidentAsync(id).WaitAsync(Timeout))!.Status);
        Assert.Equal(["opened", "resolved"], (await Store.ListEventsAsync(id).WaitAsync(Timeout)).Select(e => e.Kind));
        Assert.Equal(2, (await Store.ListPendingNoticesAsync(10).WaitAsync(Timeout)).Count);
        Assert.Empty(await Store.ListAlertStatesAsync().WaitAsync(Timeout));
        // A stale version writes nothing at all.
        Assert.False(await Store.ApplyAsync(resolve with { Events = [new IncidentEvent(id, T0, "resolved", "again")] }).WaitAsync(Timeout));
        Assert.Equal(2, (await Store.ListEventsAsync(id).WaitAsync(Timeout)).Count);
    }

    [Fact]
    public async Task A_notice_completes_once_and_records_its_outcome()
    {
        var id = Guid.CreateVersion7();
        await Store.ApplyAsync(new IncidentChange(NewIncident(id), null, [], [new IncidentNotice("n1", id, "firing", "oncall", T0)])).WaitAsync(Timeout);
        var notification = Guid.CreateVersion7();
        var outcome = new IncidentEvent(id, T0.AddSeconds(1), "notification.queued", "queued to oncall", NotificationId: notification, Route: "oncall");

        Assert.True(await Store.CompleteNoticeAsync("n1", outcome).WaitAsync(Timeout));
        Assert.False(await Store.CompleteNoticeAsync("n1", outcome).WaitAsync(Timeout));

        Assert.Empty(await Store.ListPendingNoticesAsync(10).WaitAsync(Timeout));
        var line = Assert.Single(await Store.ListEventsAsync(id).WaitAsync(Timeout));
        Assert.Equal(notification, line.NotificationId);
        Assert.Equal("oncall", line.Route);
        await Store.AppendEventsAsync([new IncidentEvent(id, T0.AddSeconds(2), "comment", "looking", "alice")]).WaitAsync(Timeout);
        Assert.Equal("alice", (await Store.ListEventsAsync(id).WaitAsync(Timeout))[^1].Actor);
    }

    [Fact]
    public async Task Incidents_list_newest_first_filtered_and_paged()
    {
        for (var i = 0; i < 4; i++)
        {
            var id = Guid.CreateVersion7();
            var incident = NewIncident(id, i % 2 == 0 ? Incident.Firing : Incident.Resolved) with { StartedAt = T0.AddMinutes(i), Subject = $"m{i}" };
            await Store.ApplyAsync(new IncidentChange(incident, null, [], [])).WaitAsync(Timeout);
        }

        var firing = await Store.ListIncidentsAsync(new IncidentFilter(Status: Incident.Firing)).WaitAsync(Timeout);
        Assert.Equal(["m2", "m0"], firing.Select(i => i.Subject));
        var page = await Store.ListIncidentsAsync(new IncidentFilter(Limit: 2)).WaitAsync(Timeout);
        Assert.Equal(["m3", "m2"], page.Select(i => i.Subject));
        var next = await Store.ListIncidentsAsync(new IncidentFilter(Before: page[^1].StartedAt, Limit: 2)).WaitAsync(Timeout);
        Assert.Equal(["m1", "m0"], next.Select(i => i.Subject));
        Assert.Equal("m1", Assert.Single(await Store.ListIncidentsAsync(new IncidentFilter(Subject: "m1")).WaitAsync(Timeout)).Subject);
    }

    [Fact]
    public async Task Silences_round_trip_and_list_by_end()
    {
        var old = new Silence { Id = Guid.CreateVersion7(), StartsAt = T0.AddHours(-2), EndsAt = T0.AddHours(-1), Matchers = [new("team", "=", "x")] };
        var window = new Silence
        {
            Id = Guid.CreateVersion7(), Kind = Silence.MaintenanceKind, StartsAt = T0, EndsAt = T0.AddDays(30), Cron = "0 2 * * *", DurationSeconds = 3600,
            Matchers = [new("monitor", "=~", "api|web")], Comment = "nightly deploys", CreatedBy = "alice", CreatedAt = T0,
        };
        await Store.CreateSilenceAsync(old).WaitAsync(Timeout);
        await Store.CreateSilenceAsync(window).WaitAsync(Timeout);

        Assert.Equal(2, (await Store.ListSilencesAsync(null).WaitAsync(Timeout)).Count);
        var active = Assert.Single(await Store.ListSilencesAsync(T0).WaitAsync(Timeout));
        Assert.Equal("0 2 * * *", active.Cron);
        Assert.Equal("=~", active.Matchers[0].Operator);
        Assert.Equal("nightly deploys", (await Store.GetSilenceAsync(window.Id).WaitAsync(Timeout))!.Comment);
        Assert.True(await Store.DeleteSilenceAsync(old.Id).WaitAsync(Timeout));
        Assert.False(await Store.DeleteSilenceAsync(old.Id).WaitAsync(Timeout));
    }
}
