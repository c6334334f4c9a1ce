namespace Switchboard.Monitoring;

/// <summary>A monitor's checks over a window: success and error rates, uptime, checks per minute and latency percentiles.</summary>
public sealed record MonitorStats(string MonitorId, TimeSpan Window, int Checks, int UpChecks, int Errors, double SuccessRate, double ErrorRate,
    double UptimePercent, double ChecksPerMinute, double LatencyAvg, double LatencyP50, double LatencyP95, double LatencyP99)
{
    public static MonitorStats From(string monitorId, TimeSpan window, IReadOnlyList<MonitorResult> results)
    {
        if (results.Count == 0)
        {
            return new MonitorStats(monitorId, window, 0, 0, 0, 1, 0, 100, 0, 0, 0, 0, 0);
        }
        var latencies = results.Select(r => r.LatencyMs).Order().ToArray();
        var up = results.Count(r => r.Up);
        var errors = results.Count(r => r.Errored);
        return new MonitorStats(monitorId, window, results.Count, up, errors, (double)up / results.Count, (double)errors / results.Count,
            100.0 * up / results.Count, results.Count / Math.Max(window.TotalMinutes, 1.0 / 60), latencies.Average(),
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
