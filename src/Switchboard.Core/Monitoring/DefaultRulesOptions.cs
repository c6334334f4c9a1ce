namespace Switchboard.Monitoring;

/// <summary>
/// <c>Monitoring:DefaultRules</c>: the rule set every HTTP monitor gets unless it sets <c>DefaultRules: false</c>, with
/// the earlier notifier's thresholds. Rates are fractions (0.8 = 80 %), latencies milliseconds (p95 over the window).
/// </summary>
public sealed class DefaultRulesOptions
{
    public bool Enabled { get; set; } = true;

    public double SuccessRateWarning { get; set; } = 0.8;

    public double SuccessRateCritical { get; set; } = 0.6;

    public double LatencyWarningMs { get; set; } = 2000;

    public double LatencyCriticalMs { get; set; } = 5000;

    public double ErrorRateWarning { get; set; } = 0.2;

    public double ErrorRateCritical { get; set; } = 0.4;

    public int WindowSeconds { get; set; } = 300;

    public int ForSeconds { get; set; } = 60;

    public int RepeatIntervalSeconds { get; set; } = 3600;

    public int? EscalateAfterRepeats { get; set; }

    public int? EscalateAfterSeconds { get; set; }

    /// <summary>The six rules, selecting every HTTP monitor that keeps <see cref="MonitorSpec.DefaultRules"/>.</summary>
    public IReadOnlyList<AlertRule> Build()
    {
        if (!Enabled)
        {
            return [];
        }
        AlertRule Rule(string id, string signal, string op, double threshold, string severity, string summary) => new()
        {
            Id = "default-" + id, Name = summary, Signal = signal, Operator = op, Threshold = threshold, Severity = severity, WindowSeconds = WindowSeconds,
            ForSeconds = ForSeconds, MonitorKinds = [MonitorKinds.Http], RepeatIntervalSeconds = RepeatIntervalSeconds,
            EscalateAfterRepeats = EscalateAfterRepeats, EscalateAfterSeconds = EscalateAfterSeconds, Source = "default",
            Annotations = new Dictionary<string, string> { ["summary"] = "{{monitor}}: " + summary + " ({{signal}} = {{value}})" },
        };
        return
        [
            Rule("success-rate-warning", AlertSignals.SuccessRate, "<", SuccessRateWarning, "warning", $"success rate below {SuccessRateWarning:P0}"),
            Rule("success-rate-critical", AlertSignals.SuccessRate, "<", SuccessRateCritical, "critical", $"success rate below {SuccessRateCritical:P0}"),
            Rule("latency-warning", AlertSignals.LatencyP95, ">", LatencyWarningMs, "warning", $"response time above {LatencyWarningMs} ms"),
            Rule("latency-critical", AlertSignals.LatencyP95, ">", LatencyCriticalMs, "critical", $"response time above {LatencyCriticalMs} ms"),
            Rule("error-rate-warning", AlertSignals.ErrorRate, ">", ErrorRateWarning, "warning", $"error rate above {ErrorRateWarning:P0}"),
            Rule("error-rate-critical", AlertSignals.ErrorRate, ">", ErrorRateCritical, "critical", $"error rate above {ErrorRateCritical:P0}"),
        ];
    }
}
