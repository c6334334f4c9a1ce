namespace Switchboard.Bench;

internal sealed record Workload(string Name, int Producers, int Consumers)
{
    public static IReadOnlyList<Workload> All { get; } = [new("W1", 1, 1), new("W2", 4, 4)];
}
