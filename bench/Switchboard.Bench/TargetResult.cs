namespace Switchboard.Bench;

/// One target on one workload: every run's msgs/s (null = failed or timed out), and the median with its range.
internal sealed record TargetResult(string Target, string Workload, int Producers, int Consumers, int Messages, IReadOnlyList<double?> Runs)
{
    public double? Median => Successful.Length == 0 ? null : Successful[Successful.Length / 2] / 2 + Successful[(Successful.Length - 1) / 2] / 2;

    public double? Min => Successful.Length == 0 ? null : Successful[0];

    public double? Max => Successful.Length == 0 ? null : Successful[^1];

    private double[] Successful => [.. Runs.Where(r => r is not null).Select(r => r!.Value).Order()];
}
