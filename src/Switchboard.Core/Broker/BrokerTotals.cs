namespace Switchboard.Broker;

/// <summary>Lock-free running totals for one queue on this node.</summary>
internal sealed class BrokerTotals
{
    private readonly long[] _counts = new long[Enum.GetValues<BrokerCounter>().Length];

    public void Add(BrokerCounter counter, long count) => Interlocked.Add(ref _counts[(int)counter], count);

    public BrokerCounts Snapshot() => new(
        Read(BrokerCounter.Published), Read(BrokerCounter.Delivered), Read(BrokerCounter.Acked),
        Read(BrokerCounter.Nacked), Read(BrokerCounter.Redelivered), Read(BrokerCounter.DeadLettered));

    private long Read(BrokerCounter counter) => Interlocked.Read(ref _counts[(int)counter]);
}
