using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Monitoring;
using Switchboard.Server.Identity;
using Switchboard.Server.Platform;
using Switchboard.Storage;
using static Switchboard.Server.Monitoring.MonitoringContracts;

namespace Switchboard.Server.Monitoring;

/// <summary>
/// Monitors, alert rules, incidents, silences, the status page and Alertmanager's v2 alert intake. Reading needs
/// <c>monitoring:read</c>, changing <c>monitoring:manage</c>, a heartbeat <c>monitoring:heartbeat:{id}</c>, posting
/// alerts <c>monitoring:alerts</c> (admins have them all).
/// </summary>
internal static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder routes)
    {
        const string Area = MonitorService.Area;
        var monitorsRead = routes.MapGroup("/v1/monitors").WithTags("Monitoring").RequireScope(Area, MonitorService.Read).ProducesErrors(ErrorCodes.MonitorNotFound);
        monitorsRead.MapGet("", ListMonitorsAsync).WithName("ListMonitors").WithSummary("Every monitor with its state.");
        monitorsRead.MapGet("/{id}", GetMonitorAsync).WithName("GetMonitor").WithSummary("A monitor with its state.");
        monitorsRead.MapGet("/{id}/results", ResultsAsync).WithName("GetMonitorResults")
            .WithSummary("Checks between from and to (default the last hour); step=1m or 1h gives roll-ups with uptime and latency percentiles.");
        monitorsRead.MapGet("/{id}/stats", StatsAsync).WithName("GetMonitorStats")
            .WithSummary("Success and error rate, uptime, checks per minute and latency p50/p95/p99 over window (default 1h, at most 2d).");

        var monitors = routes.MapGroup("/v1/monitors").WithTags("Monitoring").RequireScope(Area, MonitorService.Manage).ProducesErrors(ErrorCodes.MonitorNotFound, ErrorCodes.MonitorExists, ErrorCodes.DeclaredInConfiguration);
        monitors.MapPost("", CreateMonitorAsync).WithName("CreateMonitor").WithSummary("Creates a monitor; its id must be new.");
        monitors.MapPut("/{id}", PutMonitorAsync).WithName("PutMonitor").WithSummary("Creates (201) or replaces (200) a monitor.");
        monitors.MapDelete("/{id}", DeleteMonitorAsync).WithName("DeleteMonitor").WithSummary("Deletes a monitor with its results.");
        monitors.MapPost("/{id}/stats/clear", ClearStatsAsync).WithName("ClearMonitorStats").WithSummary("Forgets the monitor's results and roll-ups.");

        routes.MapGroup("/v1/monitors/{id}/heartbeat").WithTags("Monitoring").RequireScope(Area, MonitorService.Heartbeat, "id")
            .ProducesErrors(ErrorCodes.MonitorNotFound, ErrorCodes.NotAHeartbeatMonitor)
            .MapPost("", HeartbeatAsync).WithName("MonitorHeartbeat").WithSummary("A heartbeat monitor's job reports in; silence past the grace period is down.");

        var rulesRead = routes.MapGroup("/v1/alert-rules").WithTags("Alerting").RequireScope(Area, MonitorService.Read).ProducesErrors(ErrorCodes.AlertRuleNotFound);
        rulesRead.MapGet("", ListRulesAsync).WithName("ListAlertRules").WithSummary("Every rule in force: stored, configured and the default set.");
        rulesRead.MapGet("/{id}", GetRuleAsync).WithName("GetAlertRule").WithSummary("One alert rule.");
        var rules = routes.MapGroup("/v1/alert-rules").WithTags("Alerting").RequireScope(Area, MonitorService.Manage).ProducesErrors(ErrorCodes.AlertRuleNotFound, ErrorCodes.AlertRuleExists, ErrorCodes.DeclaredInConfiguration);
        rules.MapPost("", CreateRuleAsync).WithName("CreateAlertRule").WithSummary("Creates a rule; its id must be new (a default rule's id overrides it).");
        rules.MapPut("/{id}", PutRuleAsync).WithName("PutAlertRule").WithSummary("Creates (201) or replaces (200) a rule.");
        rules.MapDelete("/{id}", DeleteRuleAsync).WithName("DeleteAlertRule").WithSummary("Deletes a stored rule.");

        var incidentsRead = routes.MapGroup("/v1/incidents").WithTags("Alerting").RequireScope(Area, MonitorService.Read).ProducesErrors(ErrorCodes.IncidentNotFound);
        incidentsRead.MapGet("", ListIncidentsAsync).WithName("ListIncidents")
            .WithSummary("Incidents newest first, filtered by status, severity, ruleId or subject; cursor pages.");
        incidentsRead.MapGet("/{id:guid}", GetIncidentAsync).WithName("GetIncident")
            .WithSummary("An incident with its timeline: every transition and notification with its reason and its deliveries.");
        var incidents = routes.MapGroup("/v1/incidents").WithTags("Alerting").RequireScope(Area, MonitorService.Manage).ProducesErrors(ErrorCodes.IncidentNotFound, ErrorCodes.IncidentState);
        incidents.MapPost("/{id:guid}/ack", AcknowledgeAsync).WithName("AcknowledgeIncident").WithSummary("Stops escalation and repeats.");
        incidents.MapPost("/{id:guid}/resolve", ResolveAsync).WithName("ResolveIncident").WithSummary("Closes the incident and notifies its routes.");
        incidents.MapPost("/{id:guid}/comment", CommentAsync).WithName("CommentIncident").WithSummary("Adds a comment to the timeline.");

        var silencesRead = routes.MapGroup("/v1/silences").WithTags("Alerting").RequireScope(Area, MonitorService.Read).ProducesErrors(ErrorCodes.SilenceNotFound);
        silencesRead.MapGet("", ListSilencesAsync).WithName("ListSilences").WithSummary("Silences and maintenance windows not yet ended (all=true for every one).");
        silencesRead.MapGet("/{id:guid}", GetSilenceAsync).WithName("GetSilence").WithSummary("One silence or maintenance window.");
        var silences = routes.MapGroup("/v1/silences").WithTags("Alerting").RequireScope(Area, MonitorService.Manage).ProducesErrors(ErrorCodes.SilenceNotFound);
        silences.MapPost("", CreateSilenceAsync).WithName("CreateSilence")
            .WithSummary("Suppresses notifications (never evaluation) of incidents whose labels match, from startsAt to endsAt, or in cron windows.");
        silences.MapDelete("/{id:guid}", DeleteSilenceAsync).WithName("DeleteSilence").WithSummary("Ends a silence or maintenance window.");

        routes.MapGroup("/v1/status").WithTags("Monitoring").RequireScope(Area, MonitorService.Read)
            .MapGet("", StatusAsync).WithName("GetStatus").WithSummary("Overall state, storage, monitors up and down, open incidents, process and host.");

        routes.MapGroup("/api/v2/alerts").WithTags("Alerting").RequireScope(Area, IncidentService.Alerts)
            .MapPost("", PostAlertsAsync).WithName("PostAlertmanagerAlerts")
            .WithSummary("Alertmanager v2 API: Prometheus posts its alerts here; they go through incidents, silences, routes and channels.");
        return routes;
    }

    private static async Task<Ok<MonitorListResponse>> ListMonitorsAsync(HttpContext context, MonitorService monitors, CancellationToken ct) =>
        TypedResults.Ok(new MonitorListResponse((await monitors.ListAsync(context.GetCaller(), ct)).Select(MonitorResponse.From).ToArray()));

    private static async Task<Ok<MonitorResponse>> GetMonitorAsync(string id, HttpContext context, MonitorService monitors, CancellationToken ct) =>
        TypedResults.Ok(MonitorResponse.From(await monitors.GetAsync(context.GetCaller(), id, ct)));

    private static async Task<Created<MonitorResponse>> CreateMonitorAsync(MonitorRequest body, HttpContext context, MonitorService monitors, CancellationToken ct)
    {
        var (saved, _) = await monitors.SaveAsync(context.GetCaller(), body.ToSpec(null), replace: false, ct);
        return TypedResults.Created($"/v1/monitors/{saved.Id}", MonitorResponse.From(await monitors.GetAsync(context.GetCaller(), saved.Id, ct)));
    }

    private static async Task<Results<Created<MonitorResponse>, Ok<MonitorResponse>>> PutMonitorAsync(string id, MonitorRequest body, HttpContext context,
        MonitorService monitors, CancellationToken ct)
    {
        if (body.Id is not null && body.Id != id)
        {
            throw SwitchboardException.Validation("id", "id in the body must match the path, or be left out.");
        }
        var (saved, created) = await monitors.SaveAsync(context.GetCaller(), body.ToSpec(id), replace: true, ct);
        var response = MonitorResponse.From(await monitors.GetAsync(context.GetCaller(), saved.Id, ct));
        return created ? TypedResults.Created($"/v1/monitors/{saved.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<NoContent> DeleteMonitorAsync(string id, HttpContext context, MonitorService monitors, CancellationToken ct)
    {
        await monitors.DeleteAsync(context.GetCaller(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> HeartbeatAsync(string id, HttpContext context, MonitorService monitors, CancellationToken ct)
    {
        await monitors.HeartbeatAsync(context.GetCaller(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MonitorResultsResponse>> ResultsAsync(string id, DateTimeOffset? from, DateTimeOffset? to, string? step, HttpContext context,
        MonitorService monitors, CancellationToken ct)
    {
        var (results, rollups) = await monitors.ResultsAsync(context.GetCaller(), id, from, to, step, ct);
        return TypedResults.Ok(new MonitorResultsResponse(id, step ?? "raw", results, rollups));
    }

    private static async Task<Ok<MonitorStatsResponse>> StatsAsync(string id, string? window, HttpContext context, MonitorService monitors, CancellationToken ct) =>
        TypedResults.Ok(MonitorStatsResponse.From(await monitors.StatsAsync(context.GetCaller(), id, window, ct)));

    private static async Task<NoContent> ClearStatsAsync(string id, HttpContext context, MonitorService monitors, CancellationToken ct)
    {
        await monitors.ClearStatsAsync(context.GetCaller(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AlertRuleListResponse>> ListRulesAsync(HttpContext context, AlertRuleService rules, CancellationToken ct) =>
        TypedResults.Ok(new AlertRuleListResponse(await rules.ListAsync(context.GetCaller(), ct)));

    private static async Task<Ok<AlertRule>> GetRuleAsync(string id, HttpContext context, AlertRuleService rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.GetAsync(context.GetCaller(), id, ct));

    private static async Task<Created<AlertRule>> CreateRuleAsync(AlertRuleRequest body, HttpContext context, AlertRuleService rules, CancellationToken ct)
    {
        var (saved, _) = await rules.SaveAsync(context.GetCaller(), body.ToRule(null), replace: false, ct);
        return TypedResults.Created($"/v1/alert-rules/{saved.Id}", saved);
    }

    private static async Task<Results<Created<AlertRule>, Ok<AlertRule>>> PutRuleAsync(string id, AlertRuleRequest body, HttpContext context,
        AlertRuleService rules, CancellationToken ct)
    {
        if (body.Id is not null && body.Id != id)
        {
            throw SwitchboardException.Validation("id", "id in the body must match the path, or be left out.");
        }
        var (saved, created) = await rules.SaveAsync(context.GetCaller(), body.ToRule(id), replace: true, ct);
        return created ? TypedResults.Created($"/v1/alert-rules/{saved.Id}", saved) : TypedResults.Ok(saved);
    }

    private static async Task<NoContent> DeleteRuleAsync(string id, HttpContext context, AlertRuleService rules, CancellationToken ct)
    {
        await rules.DeleteAsync(context.GetCaller(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IncidentListResponse>> ListIncidentsAsync(string? status, string? severity, string? ruleId, string? subject, int? limit,
        string? cursor, HttpContext context, IncidentService incidents, CancellationToken ct)
    {
        DateTimeOffset? before = null;
        if (cursor is not null)
        {
            before = long.TryParse(cursor, out var ms) && ms > 0 && ms < 253_402_300_800_000
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : throw SwitchboardException.Validation("cursor", "cursor must be a nextCursor from an earlier page.");
        }
        var size = Paging.Limit(limit);
        var items = await incidents.ListAsync(context.GetCaller(), new IncidentFilter(status, severity, ruleId, subject, before, size), ct);
        var next = items.Count == size ? items[^1].StartedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new IncidentListResponse(items, next));
    }

    private static async Task<Ok<IncidentDetailResponse>> GetIncidentAsync(Guid id, HttpContext context, IncidentService incidents, CancellationToken ct) =>
        TypedResults.Ok(IncidentDetailResponse.From(await incidents.GetAsync(context.GetCaller(), id, ct)));

    private static async Task<Ok<Incident>> AcknowledgeAsync(Guid id, IncidentActionRequest? body, HttpContext context, IncidentService incidents,
        CancellationToken ct) =>
        TypedResults.Ok(await incidents.AcknowledgeAsync(context.GetCaller(), id, body?.Comment, ct));

    private static async Task<Ok<Incident>> ResolveAsync(Guid id, IncidentActionRequest? body, HttpContext context, IncidentService incidents,
        CancellationToken ct) =>
        TypedResults.Ok(await incidents.ResolveAsync(context.GetCaller(), id, body?.Comment, ct));

    private static async Task<Ok<IncidentEventResponse>> CommentAsync(Guid id, CommentRequest body, HttpContext context, IncidentService incidents,
        CancellationToken ct)
    {
        var line = await incidents.CommentAsync(context.GetCaller(), id, body.Text, ct);
        return TypedResults.Ok(new IncidentEventResponse(line.At, line.Kind, line.Message, line.Actor));
    }

    private static async Task<Ok<SilenceListResponse>> ListSilencesAsync(bool? all, HttpContext context, IncidentService incidents, CancellationToken ct) =>
        TypedResults.Ok(new SilenceListResponse(await incidents.ListSilencesAsync(context.GetCaller(), all == true, ct)));

    private static async Task<Ok<Silence>> GetSilenceAsync(Guid id, HttpContext context, IncidentService incidents, CancellationToken ct) =>
        TypedResults.Ok(await incidents.GetSilenceAsync(context.GetCaller(), id, ct));

    private static async Task<Created<Silence>> CreateSilenceAsync(SilenceRequest body, HttpContext context, IncidentService incidents, TimeProvider time,
        CancellationToken ct)
    {
        var saved = await incidents.CreateSilenceAsync(context.GetCaller(), body.ToSilence(time.GetUtcNow()), ct);
        return TypedResults.Created($"/v1/silences/{saved.Id}", saved);
    }

    private static async Task<NoContent> DeleteSilenceAsync(Guid id, HttpContext context, IncidentService incidents, CancellationToken ct)
    {
        await incidents.DeleteSilenceAsync(context.GetCaller(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok> PostAlertsAsync(List<AlertmanagerAlertRequest?> body, HttpContext context, IncidentService incidents, CancellationToken ct)
    {
        if (body.Any(a => a is null))
        {
            throw SwitchboardException.Validation("alerts", "Every alert must be an object with labels.");
        }
        await incidents.PostAlertsAsync(context.GetCaller(), body.Select(a => a!.ToAlert()).ToArray(), ct);
        return TypedResults.Ok();
    }

    private static async Task<Ok<StatusResponse>> StatusAsync(HttpContext context, MonitorService monitors, IncidentService incidents, IStorageHealth storage,
        IMonitoringLeader leader, TimeProvider time, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var storageStatus = "ok";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.CheckAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            storageStatus = ex is OperationCanceledException ? "no answer within 5 s" : ex.Message;
        }
        var all = await monitors.ListAsync(caller, ct);
        var firing = await incidents.ListAsync(caller, new IncidentFilter(Status: Incident.Firing, Limit: 10_000), ct);
        var acked = await incidents.ListAsync(caller, new IncidentFilter(Status: Incident.Acknowledged, Limit: 10_000), ct);
        var day = new List<double>();
        foreach (var monitor in all.Where(m => m.Monitor.Enabled))
        {
            var stats = await monitors.StatsAsync(caller, monitor.Monitor.Id, "1d", ct);
            if (stats.Checks > 0)
            {
                day.Add(stats.UptimePercent);
            }
        }
        using var process = Process.GetCurrentProcess();
        var up = time.GetUtcNow() - new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        var cpu = process.TotalProcessorTime.TotalSeconds;
        var down = all.Count(m => m.State.Status == MonitorState.Down);
        var status = storageStatus != "ok" ? "unavailable" : down > 0 || firing.Count > 0 ? "degraded" : "ok";
        return TypedResults.Ok(new StatusResponse(status, time.GetUtcNow(), storage.Engine, storageStatus, leader.IsLeader,
            new MonitorCounts(all.Count, all.Count(m => m.State.Status == MonitorState.Up), down, all.Count(m => m.State.Status == MonitorState.Pending),
                day.Count == 0 ? 100 : Math.Round(day.Average(), 3)),
            new IncidentCounts(firing.Count, acked.Count),
            new ProcessStatus(Math.Round(up.TotalSeconds, 1), Math.Round(cpu, 3),
                Math.Round(100 * cpu / Math.Max(up.TotalSeconds, 0.001) / Environment.ProcessorCount, 2), process.WorkingSet64, GC.GetTotalMemory(false),
                process.Threads.Count),
            new HostStatus(Environment.MachineName, Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, Environment.OSVersion.ToString())));
    }
}
