namespace Switchboard.Monitoring;

/// <summary>Configuration section <c>Monitoring</c>: probing, evaluation, retention, routes per severity and declared monitors and rules.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Runs the scheduler and the evaluator (on the elected node); the API works either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Probes in flight at once across every monitor.</summary>
    public int MaxConcurrentProbes { get; set; } = 64;

    /// <summary>How often rules are evaluated and owed notifications sent.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ResultRetention { get; set; } = TimeSpan.FromHours(48);

    public TimeSpan MinuteRollupRetention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan HourRollupRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Escalation levels per severity (<c>Monitoring:Routes:critical:0</c> = <c>oncall</c>): channel instances or
    /// channel routes, used by rules that name no routes and by Alertmanager alerts.
    /// </summary>
    public Dictionary<string, List<string>> Routes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Repeat interval of Alertmanager alerts' incidents, in seconds.</summary>
    public int AlertRepeatIntervalSeconds { get; set; } = 3600;

    public DefaultRulesOptions DefaultRules { get; set; } = new();

    /// <summary>Monitors kept in configuration, by id (<c>Monitoring:Monitors:&lt;id&gt;:Kind</c>).</summary>
    public Dictionary<string, MonitorSpec> Monitors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Alert rules kept in configuration, by id.</summary>
    public Dictionary<string, AlertRule> Rules { get; set; } = new(StringComparer.Ordinal);
}
