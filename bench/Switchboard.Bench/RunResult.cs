namespace Switchboard.Bench;

/// One measured run. Rate is msgs/s (W1–W3: delivered messages) or requests/s (W5); latencies in milliseconds
/// (W3: publish stamp to receipt by the consumer; W5: request sent to response read). CPU is user+system seconds
/// during the run; CpuPercent values are % of one core over the run's wall clock. W4's connection ceiling (W4c) keeps
/// the connections held in Count and the server's resident memory before and after opening them. MaxMs (W3) is the
/// slowest message, so a rare stall shows even when the percentiles are good.
internal sealed record RunResult(
    double Rate,
    double Seconds,
    long Count,
    double? P50Ms,
    double? P99Ms,
    double? P999Ms,
    double? ServerCpuSeconds,
    double RunnerCpuSeconds,
    double? ServerRssBeforeMb = null,
    double? ServerRssMb = null,
    double? MaxMs = null)
{
    public double? ServerCpuPercent => ServerCpuSeconds / Seconds * 100;

    public double RunnerCpuPercent => RunnerCpuSeconds / Seconds * 100;
}
