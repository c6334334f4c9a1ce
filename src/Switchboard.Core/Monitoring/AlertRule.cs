namespace Switchboard.Monitoring;

/// <summary>
/// An alert rule: on every monitor it selects, <see cref="Signal"/> over <see cref="WindowSeconds"/> compared with
/// <see cref="Threshold"/>; true for <see cref="ForSeconds"/> opens an incident of <see cref="Severity"/>. Notifications go
/// to <see cref="Routes"/> (or the severity's routes in <c>Monitoring:Routes</c>): the first at once and every
/// <see cref="RepeatIntervalSeconds"/>, the next one after <see cref="EscalateAfterRepeats"/> unacknowledged repeats or
/// <see cref="EscalateAfterSeconds"/>. Each route is a channel instance or a channel route (which has its own fallback).
/// </summary>
public sealed record AlertRule
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public bool Enabled { get; init; } = true;

    public required string Signal { get; init; }

    public string Operator { get; init; } = ">";

    public double Threshold { get; init; }

    public int WindowSeconds { get; init; } = 300;

    public int ForSeconds { get; init; }

    public string Severity { get; init; } = "warning";

    /// <summary>Monitors by id; empty selects by <see cref="MonitorKinds"/> and <see cref="MatchLabels"/>.</summary>
    public IReadOnlyList<string> Monitors { get; init; } = [];

    public IReadOnlyList<string> MonitorKinds { get; init; } = [];

    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Templates: <c>{{monitor}}</c>, <c>{{value}}</c>, <c>{{threshold}}</c>, <c>{{signal}}</c>, <c>{{severity}}</c>, <c>{{labels.x}}</c>.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Escalation levels, first to last; empty uses <c>Monitoring:Routes:&lt;severity&gt;</c>.</summary>
    public IReadOnlyList<string> Routes { get; init; } = [];

    public int RepeatIntervalSeconds { get; init; } = 3600;

    public int? EscalateAfterRepeats { get; init; }

    public int? EscalateAfterSeconds { get; init; }

    /// <summary><c>api</c>, <c>config</c> or <c>default</c> (the built-in set for HTTP monitors).</summary>
    public string Source { get; init; } = "api";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public bool Selects(MonitorSpec monitor)
    {
        if (Monitors.Count > 0)
        {
            return Monitors.Contains(monitor.Id, StringComparer.Ordinal);
        }
        if (MonitorKinds.Count > 0 && !MonitorKinds.Contains(monitor.Kind, StringComparer.Ordinal))
        {
            return false;
        }
        if (Source == "default" && !monitor.DefaultRules)
        {
            return false;
        }
        return MatchLabels.All(m => monitor.Labels.TryGetValue(m.Key, out var v) && string.Equals(v, m.Value, StringComparison.Ordinal));
    }
}
