namespace Switchboard.Monitoring;

/// <summary>Which incidents to list, newest first; <see cref="Before"/> is the paging cursor (a start time).</summary>
public sealed record IncidentFilter(string? Status = null, string? Severity = null, string? RuleId = null, string? Subject = null,
    DateTimeOffset? Before = null, int Limit = 50);
