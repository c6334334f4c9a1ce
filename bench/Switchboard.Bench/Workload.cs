namespace Switchboard.Bench;

internal sealed record Workload(string Name, int Producers, int Consumers, WorkloadKind Kind)
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new("W1", 1, 1, WorkloadKind.Throughput),
        new("W2", 4, 4, WorkloadKind.Throughput),
        new("W3", 1, 1, WorkloadKind.FixedRate),
        new("W4", 1, 0, WorkloadKind.ChatFanout),
        new("W5", 0, 0, WorkloadKind.RestRead),
    ];
}
