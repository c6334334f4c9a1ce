using System.Text.Json.Serialization;

namespace Switchboard.Monitoring;

/// <summary>
/// An alert that fired: from a rule on one monitor (<see cref="Subject"/> the monitor id) or from an Alertmanager
/// client (<see cref="Subject"/> the alert's fingerprint). Its id is derived from what fired and when, so every node
/// computes the same one. <see cref="Version"/> guards each change: a change made from a stale copy is refused.
/// </summary>
public sealed record Incident
{
    public const string Firing = "firing";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";

    public required Guid Id { get; init; }

    public required string RuleId { get; init; }

    public required string Subject { get; init; }

    public required string Status { get; init; }

    public required string Severity { get; init; }

    public required string Title { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Routes { get; init; } = [];

    public double? Value { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public string? ResolvedBy { get; init; }

    /// <summary>Index in <see cref="Routes"/> of the route notified last.</summary>
    public int Level { get; init; }

    /// <summary>Notifications queued at the current level (the first and its repeats).</summary>
    public int NotificationsAtLevel { get; init; }

    public DateTimeOffset? LastNotifiedAt { get; init; }

    public DateTimeOffset LevelSince { get; init; }

    public int RepeatIntervalSeconds { get; init; } = 3600;

    public int? EscalateAfterRepeats { get; init; }

    public int? EscalateAfterSeconds { get; init; }

    /// <summary>An Alertmanager alert resolves by itself once this passes without a new post.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    public long Version { get; init; }

    [JsonIgnore]
    public bool IsOpen => Status != Resolved;
}
