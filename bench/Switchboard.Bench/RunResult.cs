namespace Switchboard.Bench;

/// One measured run. Rate is msgs/s (W1–W3: delivered messages) or requests/s (W5); latencies in milliseconds
/// (W3: publish stamp to receipt by the consumer; W5: request sent to response read). CPU is user+system seconds
/// during the run; CpuPercent values are % of one core over the run's wall clock.
internal sealed record RunResult(
    double Rate,
    double Seconds,
    long Count,
    double? P50Ms,
    double? P99Ms,
    double? P999Ms,
    double? ServerCpuSeconds,
    double RunnerCpuSeconds)
{
    public double? ServerCpuPercent => ServerCpuSeconds / Seconds * 100;

    public double RunnerCpuPercent => RunnerCpuSeconds / Seconds * 100;
}
