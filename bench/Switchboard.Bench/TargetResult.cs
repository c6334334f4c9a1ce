namespace Switchboard.Bench;

/// One target on one workload: every run (null = failed or timed out), and medians with their range.
/// Messages is N for W1/W2, the offered total for W3, and the client count for W5.
internal sealed record TargetResult(string Target, string Durability, string Workload, int Producers, int Consumers, int Messages, IReadOnlyList<RunResult?> Runs)
{
    public double? Median => MedianOf(r => r.Rate);

    public double? Min => Successful.Length == 0 ? null : Successful.Min(r => r.Rate);

    public double? Max => Successful.Length == 0 ? null : Successful.Max(r => r.Rate);

    public double? P50Ms => MedianOf(r => r.P50Ms);

    public double? P99Ms => MedianOf(r => r.P99Ms);

    public double? P99MinMs => Successful.Min(r => r.P99Ms);

    public double? P99MaxMs => Successful.Max(r => r.P99Ms);

    public double? P999Ms => MedianOf(r => r.P999Ms);

    /// <summary>The slowest message of any run: a stall in one run must not be averaged away.</summary>
    public double? MaxMs => Successful.Max(r => r.MaxMs);

    public double? ServerCpuPercent => MedianOf(r => r.ServerCpuPercent);

    public double? RunnerCpuPercent => MedianOf(r => r.RunnerCpuPercent);

    public int Succeeded => Successful.Length;

    public double? MedianOf(Func<RunResult, double?> value)
    {
        var values = Successful.Select(value).Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        return values.Length == 0 ? null : values[values.Length / 2] / 2 + values[(values.Length - 1) / 2] / 2;
    }

    private RunResult[] Successful => [.. Runs.Where(r => r is not null).Select(r => r!)];
}
