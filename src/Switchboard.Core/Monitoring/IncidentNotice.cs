namespace Switchboard.Monitoring;

/// <summary>
/// A notification an incident transition owes, committed with the transition and sent after it. <see cref="Key"/>
/// (incident, transition, level, repeat) is also the notification's dedup key, so sending it again after a crash or a
/// leader change is suppressed by the delivery pipeline instead of reaching the provider twice.
/// </summary>
/// <param name="Kind"><c>firing</c>, <c>repeat</c>, <c>escalated</c>, <c>resolved</c> or <c>acknowledged</c> (the last
/// only publishes its event).</param>
public sealed record IncidentNotice(string Key, Guid IncidentId, string Kind, string? Route, DateTimeOffset CreatedAt);
