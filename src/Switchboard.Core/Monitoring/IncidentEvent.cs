namespace Switchboard.Monitoring;

/// <summary>
/// One line of an incident's timeline: a state change (<c>opened</c>, <c>acknowledged</c>, <c>escalated</c>,
/// <c>resolved</c>), a notification (<c>notification.queued</c>, <c>notification.suppressed</c>, <c>notification.failed</c>)
/// or a <c>comment</c>, each with why.
/// </summary>
public sealed record IncidentEvent(Guid IncidentId, DateTimeOffset At, string Kind, string Message, string? Actor = null, Guid? NotificationId = null,
    string? Route = null, long Seq = 0);
