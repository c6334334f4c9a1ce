using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Monitoring;

/// <summary>
/// Evaluates every rule on every monitor it selects, each <c>Monitoring:EvaluationInterval</c>: a condition that turns
/// true is remembered (its start stored, so another node continues the same <c>for</c>), one that held for <c>for</c> opens
/// an incident, one that stops holding resolves it. Then open incidents repeat or escalate, Alertmanager alerts past
/// their end resolve, and the notices all that owes are sent. Every transition is committed before its notices go out.
/// </summary>
public sealed class AlertEvaluator(
    IMonitoringStore store,
    RuleCatalog rules,
    IncidentNotifier notifier,
    IOptionsMonitor<MonitoringOptions> options,
    TimeProvider time,
    ILogger<AlertEvaluator> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await EvaluateOnceAsync(cancellationToken).ConfigureAwait(false);
                await notifier.SendPendingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MonitoringLog.LoopFailed(logger, ex, "evaluation");
            }
            await notifier.WaitAsync(options.CurrentValue.EvaluationInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task EvaluateOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var monitors = (await store.ListMonitorsAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.Enabled).ToArray();
        var states = (await store.ListStatesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.MonitorId, StringComparer.Ordinal);
        var active = (await rules.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Enabled).ToArray();
        var alertStates = (await store.ListAlertStatesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Key);
        var longest = active.Length == 0 ? 0 : active.Max(r => r.WindowSeconds);
        var results = (await store.ListResultsAsync(null, now.AddSeconds(-longest), now.AddTicks(1), int.MaxValue, cancellationToken).ConfigureAwait(false))
            .ToLookup(r => r.MonitorId, StringComparer.Ordinal);
        var seen = new HashSet<AlertStateKey>();
        foreach (var rule in active)
        {
            foreach (var monitor in monitors.Where(rule.Selects))
            {
                var key = new AlertStateKey(rule.Id, monitor.Id);
                seen.Add(key);
                var state = states.TryGetValue(monitor.Id, out var known) ? known : MonitorState.Initial(monitor.Id);
                var window = results[monitor.Id].Where(r => r.At >= now.AddSeconds(-rule.WindowSeconds)).ToArray();
                var stats = MonitorStats.From(monitor.Id, TimeSpan.FromSeconds(rule.WindowSeconds), window);
                var value = AlertSignals.Value(rule.Signal, stats, state);
                // Without checks in the window only the up/down signal means anything.
                var holds = (stats.Checks > 0 || rule.Signal == AlertSignals.MonitorDown) && AlertSignals.Compare(value, rule.Operator, rule.Threshold);
                alertStates.TryGetValue(key, out var alert);
                if (holds)
                {
                    await HoldsAsync(rule, monitor, state, stats, value, alert, now, cancellationToken).ConfigureAwait(false);
                }
                else if (alert is not null)
                {
                    var reason = $"Resolved: {rule.Signal} is {IncidentTransitions.Format(value)}, no longer {rule.Operator} {IncidentTransitions.Format(rule.Threshold)}"
                        + (rule.Signal == AlertSignals.MonitorDown ? $" (monitor {state.Status})." : $" over {rule.WindowSeconds} s ({stats.Checks} checks).");
                    await EndAsync(alert, reason, now, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        foreach (var orphan in alertStates.Values.Where(a => !seen.Contains(a.Key)))
        {
            await EndAsync(orphan, $"Resolved: the rule '{orphan.RuleId}' or the monitor '{orphan.Subject}' no longer exists or is disabled.", now, cancellationToken)
                .ConfigureAwait(false);
        }
        await TickOpenIncidentsAsync(now, cancellationToken).ConfigureAwait(false);
    }

    private async Task HoldsAsync(AlertRule rule, MonitorSpec monitor, MonitorState state, MonitorStats stats, double value, AlertState? alert,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (alert?.IncidentId is not null)
        {
            return; // Already fired; the incident lives on (or was resolved by hand and waits for the condition to clear).
        }
        var pendingSince = alert?.PendingSince ?? now;
        if (now - pendingSince < TimeSpan.FromSeconds(rule.ForSeconds))
        {
            if (alert is null)
            {
                await store.SetAlertStateAsync(new AlertState(rule.Id, monitor.Id, now, null), null, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        var labels = new Dictionary<string, string>(monitor.Labels, StringComparer.Ordinal);
        foreach (var (name, v) in rule.Labels)
        {
            labels[name] = v;
        }
        labels["alertname"] = rule.Id;
        labels["monitor"] = monitor.Id;
        labels["severity"] = rule.Severity;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["monitor"] = monitor.DisplayName, ["value"] = IncidentTransitions.Format(value), ["threshold"] = IncidentTransitions.Format(rule.Threshold),
            ["signal"] = rule.Signal, ["severity"] = rule.Severity,
        };
        foreach (var (name, v) in labels)
        {
            values["labels." + name] = v;
        }
        var annotations = rule.Annotations.ToDictionary(a => a.Key, a => IncidentTransitions.Render(a.Value, values), StringComparer.Ordinal);
        var detail = rule.Signal == AlertSignals.MonitorDown
            ? $"monitor {monitor.DisplayName} is down after {state.ConsecutiveFailures} failed check(s) (retries {monitor.Retries}): {state.LastError}"
            : $"{rule.Signal} = {IncidentTransitions.Format(value)} {rule.Operator} {IncidentTransitions.Format(rule.Threshold)} over {rule.WindowSeconds} s ({stats.Checks} checks)";
        var incident = new Incident
        {
            Id = StableId.From($"{rule.Id}\n{monitor.Id}\n{pendingSince.ToUnixTimeMilliseconds()}"),
            RuleId = rule.Id,
            Subject = monitor.Id,
            Status = Incident.Firing,
            Severity = rule.Severity,
            Title = annotations.TryGetValue("summary", out var summary) ? summary : $"{rule.Name ?? rule.Id} on {monitor.DisplayName}",
            Labels = labels,
            Annotations = annotations,
            Routes = rules.RoutesFor(rule),
            Value = value,
            StartedAt = now,
            RepeatIntervalSeconds = rule.RepeatIntervalSeconds,
            EscalateAfterRepeats = rule.EscalateAfterRepeats,
            EscalateAfterSeconds = rule.EscalateAfterSeconds,
        };
        var reason = $"Fired: {detail}; true since {pendingSince:u}, for {rule.ForSeconds} s.";
        var change = IncidentTransitions.Open(incident, reason, new AlertState(rule.Id, monitor.Id, pendingSince, null), now);
        if (await store.ApplyAsync(change, cancellationToken).ConfigureAwait(false))
        {
            MonitoringLog.Transition(logger, incident.Id, IncidentTransitions.Opened, reason);
        }
        else
        {
            // Opened before (by an earlier leader, which crashed before recording the alert state): point the state at it.
            await store.SetAlertStateAsync(change.SetState, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EndAsync(AlertState alert, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (alert.IncidentId is { } id && await store.GetIncidentAsync(id, cancellationToken).ConfigureAwait(false) is { IsOpen: true } incident
            && IncidentTransitions.Resolve(incident, reason, null, now, alert.Key) is { } change)
        {
            if (await store.ApplyAsync(change, cancellationToken).ConfigureAwait(false))
            {
                MonitoringLog.Transition(logger, id, IncidentTransitions.ResolvedKind, reason);
            }
            return;
        }
        await store.SetAlertStateAsync(null, alert.Key, cancellationToken).ConfigureAwait(false);
    }

    private async Task TickOpenIncidentsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var status in new[] { Incident.Firing, Incident.Acknowledged })
        {
            var open = await store.ListIncidentsAsync(new IncidentFilter(Status: status, Limit: 10_000), cancellationToken).ConfigureAwait(false);
            foreach (var incident in open)
            {
                var change = incident.EndsAt is { } ends && ends <= now
                    ? IncidentTransitions.Resolve(incident, $"Resolved: the Alertmanager client stopped re-sending the alert; it ended at {ends:u}.", null, now, null)
                    : IncidentTransitions.Tick(incident, now);
                if (change is not null && await store.ApplyAsync(change, cancellationToken).ConfigureAwait(false))
                {
                    MonitoringLog.Transition(logger, incident.Id, change.Events[0].Kind, change.Events[0].Message);
                }
            }
        }
    }
}
