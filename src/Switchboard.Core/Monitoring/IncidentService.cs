using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Notifications;

namespace Switchboard.Monitoring;

/// <summary>
/// Incidents, silences and Alertmanager alerts over any transport. Acknowledge, resolve and comment need
/// <c>monitoring:manage</c>; posting alerts <c>monitoring:alerts</c>. A transition made here is committed with its
/// notices and the leader's loop is woken to send them.
/// </summary>
public sealed class IncidentService(IMonitoringStore store, RuleCatalog rules, NotificationService notifications, IncidentNotifier notifier,
    Microsoft.Extensions.Options.IOptionsMonitor<MonitoringOptions> options, TimeProvider time)
{
    public const string Alerts = "alerts";
    public const int MaxAlerts = 1000;

    public async Task<IReadOnlyList<Incident>> ListAsync(Caller caller, IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Read);
        new Validation()
            .Require(filter.Status is null or Incident.Firing or Incident.Acknowledged or Incident.Resolved, "status", "status must be firing, acknowledged or resolved.")
            .Require(filter.Severity is null || AlertSignals.Severities.Contains(filter.Severity), "severity", "severity must be info, warning or critical.")
            .ThrowIfInvalid();
        return await store.ListIncidentsAsync(filter, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IncidentDetails> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Read);
        var incident = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var timeline = await store.ListEventsAsync(id, cancellationToken).ConfigureAwait(false);
        var sent = new Dictionary<Guid, NotificationDetails>();
        foreach (var notification in timeline.Select(e => e.NotificationId).OfType<Guid>().Distinct())
        {
            try
            {
                sent[notification] = await notifications.GetAsync(BrokerService.System, notification, cancellationToken).ConfigureAwait(false);
            }
            catch (SwitchboardException ex) when (ex.Error == ErrorCodes.NotificationNotFound)
            {
                // Pruned, or never stored: the timeline line says what was queued.
            }
        }
        return new IncidentDetails(incident, timeline, sent);
    }

    public Task<Incident> AcknowledgeAsync(Caller caller, Guid id, string? comment, CancellationToken cancellationToken = default) =>
        TransitionAsync(caller, id, i => i.Status == Incident.Firing
            ? IncidentTransitions.Acknowledge(i, caller.Name, comment, time.GetUtcNow())
            : throw new SwitchboardException(ErrorCodes.IncidentState, $"The incident is {i.Status}; only a firing incident can be acknowledged."), cancellationToken);

    public Task<Incident> ResolveAsync(Caller caller, Guid id, string? comment, CancellationToken cancellationToken = default) =>
        TransitionAsync(caller, id, i => i.IsOpen
            ? IncidentTransitions.Resolve(i, $"Resolved by {caller.Name}" + (comment is null ? "." : $": {comment}"), caller.Name, time.GetUtcNow(), null)
            : throw new SwitchboardException(ErrorCodes.IncidentState, "The incident is already resolved."), cancellationToken);

    public async Task<IncidentEvent> CommentAsync(Caller caller, Guid id, string? text, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Manage);
        new Validation().Require(!string.IsNullOrWhiteSpace(text) && text.Length <= 4000, "text", "text is required, at most 4000 characters.").ThrowIfInvalid();
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var line = new IncidentEvent(id, time.GetUtcNow(), IncidentTransitions.Commented, text!, caller.Name);
        await store.AppendEventsAsync([line], cancellationToken).ConfigureAwait(false);
        return line;
    }

    private async Task<Incident> TransitionAsync(Caller caller, Guid id, Func<Incident, IncidentChange?> transition, CancellationToken cancellationToken)
    {
        caller.Demand(MonitorService.Area, MonitorService.Manage);
        // The evaluator may change the incident between the read and the write (a repeat); then read it again.
        for (var attempt = 0; ; attempt++)
        {
            var incident = await FindAsync(id, cancellationToken).ConfigureAwait(false);
            var change = transition(incident)!;
            if (await store.ApplyAsync(change, cancellationToken).ConfigureAwait(false))
            {
                notifier.Wake();
                return change.Incident;
            }
            if (attempt == 5)
            {
                throw new SwitchboardException(ErrorCodes.Conflict, "The incident kept changing; try again.");
            }
        }
    }

    public async Task<Silence> CreateSilenceAsync(Caller caller, Silence silence, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Manage);
        var validation = new Validation();
        MonitoringValidation.Silence(validation, silence, "");
        validation.ThrowIfInvalid();
        var now = time.GetUtcNow();
        var saved = silence with { Id = Guid.CreateVersion7(now), CreatedBy = caller.Name, CreatedAt = now };
        await store.CreateSilenceAsync(saved, cancellationToken).ConfigureAwait(false);
        return saved;
    }

    public async Task<IReadOnlyList<Silence>> ListSilencesAsync(Caller caller, bool includeExpired, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Read);
        return await store.ListSilencesAsync(includeExpired ? null : time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Silence> GetSilenceAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Read);
        return await store.GetSilenceAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new SwitchboardException(ErrorCodes.SilenceNotFound, $"No silence {id} exists.");
    }

    public async Task DeleteSilenceAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Manage);
        if (!await store.DeleteSilenceAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new SwitchboardException(ErrorCodes.SilenceNotFound, $"No silence {id} exists.");
        }
    }

    /// <summary>
    /// Alerts from a Prometheus (Alertmanager's v2 API): one incident per alert fingerprint and start, opened on the
    /// first post, kept firing while re-posted (each post moves its end), resolved by a post whose end has passed or
    /// when the end passes without a new post. Severity comes from the <c>severity</c> label (default warning).
    /// </summary>
    public async Task PostAlertsAsync(Caller caller, IReadOnlyList<AlertmanagerAlert> alerts, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, Alerts);
        var validation = new Validation().Require(alerts.Count <= MaxAlerts, "alerts", $"Post at most {MaxAlerts} alerts at once.");
        for (var i = 0; i < Math.Min(alerts.Count, MaxAlerts); i++)
        {
            var labels = alerts[i].Labels;
            validation.Require(labels is { Count: > 0 } && labels.All(l => l.Key.Length is >= 1 and <= 128 && l.Value is not null && l.Value.Length <= 1024),
                $"[{i}].labels", "labels must name at least one label; names 1–128 characters, values at most 1024.");
        }
        validation.ThrowIfInvalid();
        var now = time.GetUtcNow();
        foreach (var alert in alerts)
        {
            var fingerprint = alert.Fingerprint;
            var open = (await store.ListIncidentsAsync(new IncidentFilter(Subject: fingerprint, Limit: 5), cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(i => i.IsOpen);
            var ended = alert.EndsAt is { } endsAt && endsAt <= now;
            IncidentChange? change;
            if (open is not null)
            {
                change = ended
                    ? IncidentTransitions.Resolve(open, $"Resolved: the Alertmanager client reported the alert ended at {alert.EndsAt:u}.", null, now, null)
                    : new IncidentChange(open with { EndsAt = EndOf(alert, now), Version = open.Version + 1 }, open.Version, [], []);
            }
            else if (!ended)
            {
                change = IncidentTransitions.Open(NewIncident(alert, fingerprint, now), $"Fired: alert {Name(alert)} received from an Alertmanager client" +
                    (alert.GeneratorUrl is null ? "." : $" ({alert.GeneratorUrl})."), null, now);
            }
            else
            {
                continue; // A resolution of an alert never seen firing, or already resolved.
            }
            if (change is not null)
            {
                await store.ApplyAsync(change, cancellationToken).ConfigureAwait(false);
            }
        }
        notifier.Wake();
    }

    private Incident NewIncident(AlertmanagerAlert alert, string fingerprint, DateTimeOffset now)
    {
        var severity = alert.Labels.TryGetValue("severity", out var s) && AlertSignals.Severities.Contains(s) ? s : "warning";
        var annotations = alert.Annotations ?? new Dictionary<string, string>();
        var startsAt = alert.StartsAt ?? now;
        return new Incident
        {
            Id = StableId.From($"alertmanager\n{fingerprint}\n{startsAt.ToUnixTimeMilliseconds()}"),
            RuleId = "alertmanager:" + Name(alert),
            Subject = fingerprint,
            Status = Incident.Firing,
            Severity = severity,
            Title = annotations.TryGetValue("summary", out var summary) ? summary : Name(alert),
            Labels = alert.Labels,
            Annotations = annotations,
            Routes = rules.RoutesFor(severity),
            StartedAt = now,
            RepeatIntervalSeconds = options.CurrentValue.AlertRepeatIntervalSeconds,
            EndsAt = EndOf(alert, now),
        };
    }

    private static string Name(AlertmanagerAlert alert) => alert.Labels.TryGetValue("alertname", out var name) ? name : alert.Fingerprint;

    // Prometheus re-sends firing alerts with an end a few evaluation intervals ahead; without one, Alertmanager's resolve_timeout (5 min).
    private static DateTimeOffset EndOf(AlertmanagerAlert alert, DateTimeOffset now) => alert.EndsAt ?? now.AddMinutes(5);

    private async Task<Incident> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await store.GetIncidentAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new SwitchboardException(ErrorCodes.IncidentNotFound, $"No incident {id} exists.");
}
