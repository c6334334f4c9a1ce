namespace Switchboard.Monitoring;

/// <summary>The checks of one monitor in one minute or hour (<see cref="ResolutionSeconds"/> 60 or 3600).</summary>
public sealed record MonitorRollup(string MonitorId, int ResolutionSeconds, DateTimeOffset BucketStart, int Checks, int UpChecks, int Errors,
    double LatencyAvg, double LatencyP50, double LatencyP95, double LatencyP99)
{
    public double UptimePercent => Checks == 0 ? 100 : 100.0 * UpChecks / Checks;

    /// <summary>Rolls raw results up per bucket of <paramref name="resolution"/>.</summary>
    public static IReadOnlyList<MonitorRollup> From(IEnumerable<MonitorResult> results, TimeSpan resolution)
    {
        var ticks = resolution.Ticks;
        return results
            .GroupBy(r => (r.MonitorId, Start: new DateTimeOffset(r.At.UtcTicks - r.At.UtcTicks % ticks, TimeSpan.Zero)))
            .Select(g =>
            {
                var latencies = g.Select(r => r.LatencyMs).Order().ToArray();
                return new MonitorRollup(g.Key.MonitorId, (int)resolution.TotalSeconds, g.Key.Start, latencies.Length, g.Count(r => r.Up),
                    g.Count(r => r.Errored), latencies.Average(), MonitorStats.Percentile(latencies, 0.50), MonitorStats.Percentile(latencies, 0.95),
                    MonitorStats.Percentile(latencies, 0.99));
            })
            .ToArray();
    }
}
