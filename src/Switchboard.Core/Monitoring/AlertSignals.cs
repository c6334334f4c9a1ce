namespace Switchboard.Monitoring;

/// <summary>What a rule measures on each monitor it selects.</summary>
public static class AlertSignals
{
    public const string SuccessRate = "success_rate";
    public const string ErrorRate = "error_rate";
    public const string LatencyAvg = "latency_avg";
    public const string LatencyP50 = "latency_p50";
    public const string LatencyP95 = "latency_p95";
    public const string LatencyP99 = "latency_p99";

    /// <summary>1 while the monitor is down (its check and every retry failed), else 0.</summary>
    public const string MonitorDown = "monitor_down";

    public static IReadOnlyList<string> All { get; } = [SuccessRate, ErrorRate, LatencyAvg, LatencyP50, LatencyP95, LatencyP99, MonitorDown];

    public static IReadOnlyList<string> Operators { get; } = ["<", "<=", ">", ">=", "==", "!="];

    public static IReadOnlyList<string> Severities { get; } = ["info", "warning", "critical"];

    public static bool Compare(double value, string op, double threshold) => op switch
    {
        "<" => value < threshold,
        "<=" => value <= threshold,
        ">" => value > threshold,
        ">=" => value >= threshold,
        "==" => value == threshold,
        "!=" => value != threshold,
        _ => false,
    };

    /// <summary>The signal's value from a window's stats and the monitor's state.</summary>
    public static double Value(string signal, MonitorStats stats, MonitorState state) => signal switch
    {
        SuccessRate => stats.SuccessRate,
        ErrorRate => stats.ErrorRate,
        LatencyAvg => stats.LatencyAvg,
        LatencyP50 => stats.LatencyP50,
        LatencyP95 => stats.LatencyP95,
        LatencyP99 => stats.LatencyP99,
        MonitorDown => state.Status == MonitorState.Down ? 1 : 0,
        _ => double.NaN,
    };
}
