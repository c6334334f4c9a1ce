namespace Switchboard.Monitoring;

/// <summary>The data of an <c>incident.*</c> event on <c>$sys.events</c>.</summary>
public sealed record IncidentEventData(Guid IncidentId, string RuleId, string Subject, string Status, string Severity, string Title,
    IReadOnlyDictionary<string, string> Labels, string? Route);
