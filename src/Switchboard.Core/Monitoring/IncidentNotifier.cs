using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Notifications;

namespace Switchboard.Monitoring;

/// <summary>
/// Sends the notices incident transitions owe, through the notifier and its delivery pipeline (routes, fallback,
/// retries, dead letters). Each notice's key is its notification's dedup key: if this node dies after queueing but
/// before recording it, the next attempt (here or on the next leader) is suppressed by the pipeline and recorded as
/// already queued, so the provider is told once. Silences and maintenance windows hold a notice back, and the
/// timeline says which one; the incident's events go on <c>$sys.events</c> either way.
/// </summary>
public sealed class IncidentNotifier(
    IMonitoringStore store,
    NotificationService notifications,
    SystemEventPublisher events,
    TimeProvider time,
    ILogger<IncidentNotifier> logger)
{
    /// <summary>Longest cooldown the notifier accepts: a notice's key is never reused anyway.</summary>
    private const int DedupSeconds = 7 * 24 * 3600;

    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks the leader's loop to send now (after a transition made through the API on this node).</summary>
    public void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits <paramref name="interval"/> or until <see cref="Wake"/>.</summary>
    public async Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var wake = Volatile.Read(ref _wake).Task;
        await Task.WhenAny(wake, Task.Delay(interval, time, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        var notices = await store.ListPendingNoticesAsync(500, cancellationToken).ConfigureAwait(false);
        if (notices.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var silences = (await store.ListSilencesAsync(now, cancellationToken).ConfigureAwait(false)).Where(s => s.IsActive(now)).ToArray();
        foreach (var notice in notices)
        {
            try
            {
                var incident = await store.GetIncidentAsync(notice.IncidentId, cancellationToken).ConfigureAwait(false);
                var outcome = incident is null
                    ? new IncidentEvent(notice.IncidentId, time.GetUtcNow(), "notification.failed", "The incident no longer exists.")
                    : await HandleAsync(notice, incident, silences, cancellationToken).ConfigureAwait(false);
                if (await store.CompleteNoticeAsync(notice.Key, outcome, cancellationToken).ConfigureAwait(false) && incident is not null)
                {
                    await PublishAsync(notice, incident, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MonitoringLog.NoticeDeferred(logger, ex, notice.Key);
            }
        }
    }

    private async Task<IncidentEvent> HandleAsync(IncidentNotice notice, Incident incident, IReadOnlyList<Silence> silences, CancellationToken cancellationToken)
    {
        IncidentEvent Line(string kind, string message, Guid? notification = null) =>
            new(incident.Id, time.GetUtcNow(), kind, message, NotificationId: notification, Route: notice.Route);

        if (notice.Kind == "acknowledged")
        {
            return Line("event.published", $"Published {SystemEvents.IncidentAcknowledged}; acknowledgements are not notified.");
        }
        if (notice.Route is null)
        {
            return Line("notification.suppressed",
                $"Not sent: no route for this incident; give the rule routes or set Monitoring:Routes:{incident.Severity}.");
        }
        if (silences.FirstOrDefault(s => s.Matches(incident.Labels)) is { } silence)
        {
            var what = silence.Kind == Silence.MaintenanceKind ? "maintenance window" : "silence";
            return Line("notification.suppressed",
                $"Not sent ({notice.Kind} to {notice.Route}): suppressed by {what} {silence.Name ?? silence.Id.ToString()} " +
                $"[{string.Join(", ", silence.Matchers)}] until {silence.EndsAt:u}" + (silence.Comment is null ? "." : $": {silence.Comment}"));
        }
        var request = new NotificationRequest(Title(notice, incident), Content(notice, incident), incident.Severity, null, null, notice.Route, null, notice.Key,
            DedupSeconds);
        try
        {
            var accepted = await notifications.SendAsync(BrokerService.System, request, cancellationToken).ConfigureAwait(false);
            return accepted.Suppressed
                ? Line("notification.queued", $"The {notice.Kind} notification to {notice.Route} was already queued as {accepted.DuplicateOf} before a restart; not sent again.",
                    accepted.DuplicateOf)
                : Line("notification.queued", $"The {notice.Kind} notification was queued to {notice.Route} ({accepted.Deliveries.Count} delivery(ies)).", accepted.Id);
        }
        catch (SwitchboardException ex) when (ex.Error.Status < 500)
        {
            return Line("notification.failed", $"The {notice.Kind} notification to {notice.Route} could not be queued: {ex.Message}");
        }
    }

    private async Task PublishAsync(IncidentNotice notice, Incident incident, CancellationToken cancellationToken)
    {
        var name = notice.Kind switch
        {
            "firing" => SystemEvents.IncidentOpened,
            "escalated" => SystemEvents.IncidentEscalated,
            "acknowledged" => SystemEvents.IncidentAcknowledged,
            // One event per resolution, not one per route told.
            "resolved" when notice.Key.EndsWith(":resolved", StringComparison.Ordinal) || notice.Key.EndsWith(":resolved:0", StringComparison.Ordinal)
                => SystemEvents.IncidentResolved,
            _ => null,
        };
        if (name is not null)
        {
            await events.PublishAsync(name, new IncidentEventData(incident.Id, incident.RuleId, incident.Subject, incident.Status, incident.Severity, incident.Title,
                incident.Labels, notice.Route), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Title(IncidentNotice notice, Incident incident) => notice.Kind switch
    {
        "resolved" => $"[RESOLVED] {incident.Title}",
        "escalated" => $"[{incident.Severity.ToUpperInvariant()}, ESCALATED] {incident.Title}",
        "repeat" => $"[{incident.Severity.ToUpperInvariant()}, STILL FIRING] {incident.Title}",
        _ => $"[{incident.Severity.ToUpperInvariant()}] {incident.Title}",
    } is var title && title.Length > 200 ? title[..200] : title;

    private static string Content(IncidentNotice notice, Incident incident)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in incident.Annotations.Where(a => a.Key != "summary"))
        {
            text.Append(name).Append(": ").AppendLine(value);
        }
        if (incident.Value is { } value1)
        {
            text.Append("Value: ").AppendLine(IncidentTransitions.Format(value1));
        }
        text.Append("Labels: ").AppendLine(string.Join(", ", incident.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        text.Append("Started: ").AppendLine(incident.StartedAt.ToString("u"));
        if (notice.Kind == "resolved" && incident.ResolvedAt is { } resolved)
        {
            text.Append("Resolved: ").Append(resolved.ToString("u")).AppendLine(incident.ResolvedBy is null ? "" : $" by {incident.ResolvedBy}");
        }
        text.Append("Incident: ").Append(incident.Id);
        return text.ToString();
    }
}
