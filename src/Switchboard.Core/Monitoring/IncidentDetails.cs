using Switchboard.Notifications;

namespace Switchboard.Monitoring;

/// <summary>An incident with its timeline, and for each notification line what became of its deliveries.</summary>
public sealed record IncidentDetails(Incident Incident, IReadOnlyList<IncidentEvent> Timeline, IReadOnlyDictionary<Guid, NotificationDetails> Notifications);
