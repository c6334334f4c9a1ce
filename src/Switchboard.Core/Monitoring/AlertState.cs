namespace Switchboard.Monitoring;

/// <summary>A rule's condition on one monitor: true since <see cref="PendingSince"/>, and the incident it opened, if any.</summary>
public sealed record AlertState(string RuleId, string Subject, DateTimeOffset PendingSince, Guid? IncidentId)
{
    public AlertStateKey Key => new(RuleId, Subject);
}

public readonly record struct AlertStateKey(string RuleId, string Subject);
