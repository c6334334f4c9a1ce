namespace Switchboard.Monitoring;

/// <summary>
/// One transition, committed at once: the incident's new state (inserted when <see cref="ExpectedVersion"/> is null,
/// else updated only if it still has that version), its timeline lines, the notices it owes, and the rule's alert state.
/// </summary>
public sealed record IncidentChange(Incident Incident, long? ExpectedVersion, IReadOnlyList<IncidentEvent> Events, IReadOnlyList<IncidentNotice> Notices,
    AlertState? SetState = null, AlertStateKey? ClearState = null);
