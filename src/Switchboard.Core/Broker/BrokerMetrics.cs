using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Switchboard.Broker;

/// <summary>Broker counters on the <c>Switchboard</c> meter, labelled by queue.</summary>
public sealed class BrokerMetrics : IDisposable
{
    public const string MeterName = "Switchboard";

    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _acked;
    private readonly Counter<long> _nacked;
    private readonly Counter<long> _redelivered;
    private readonly Counter<long> _deadLettered;
    private readonly ConcurrentDictionary<string, BrokerTotals> _totals = new(StringComparer.Ordinal);
    private Func<IEnumerable<Measurement<long>>>? _depth;

    public BrokerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _published = _meter.CreateCounter<long>("switchboard.broker.published", "{message}", "Messages committed to a queue.");
        _delivered = _meter.CreateCounter<long>("switchboard.broker.delivered", "{message}", "Messages handed out by a receive (first deliveries and redeliveries).");
        _acked = _meter.CreateCounter<long>("switchboard.broker.acked", "{message}", "Messages acknowledged and deleted.");
        _nacked = _meter.CreateCounter<long>("switchboard.broker.nacked", "{message}", "Messages released by a nack.");
        _redelivered = _meter.CreateCounter<long>("switchboard.broker.redelivered", "{message}", "Messages made ready again because their lease expired.");
        _deadLettered = _meter.CreateCounter<long>("switchboard.broker.dead_lettered", "{message}", "Messages moved to a dead-letter queue.");
        _meter.CreateObservableGauge("switchboard.broker.depth", () => _depth?.Invoke() ?? [], "{message}", "Messages held by a queue: ready, delayed and in flight.");
    }

    public Meter Meter => _meter;

    public void Published(string queue, int count) => Add(_published, queue, count, BrokerCounter.Published);

    public void Delivered(string queue, int count) => Add(_delivered, queue, count, BrokerCounter.Delivered);

    public void Acked(string queue, int count) => Add(_acked, queue, count, BrokerCounter.Acked);

    public void Nacked(string queue, int count) => Add(_nacked, queue, count, BrokerCounter.Nacked);

    public void Redelivered(string queue, int count) => Add(_redelivered, queue, count, BrokerCounter.Redelivered);

    public void DeadLettered(string queue, int count) => Add(_deadLettered, queue, count, BrokerCounter.DeadLettered);

    /// <summary>What this node has counted since it started, per queue; <see cref="BrokerActivity"/> turns it into rates.</summary>
    public IReadOnlyDictionary<string, BrokerCounts> SnapshotTotals() =>
        _totals.ToDictionary(t => t.Key, t => t.Value.Snapshot(), StringComparer.Ordinal);

    /// <summary>The engine reports queue depths through this; it must answer from memory, without I/O.</summary>
    public void ObserveDepth(Func<IEnumerable<Measurement<long>>> source) => _depth = source;

    public static Measurement<long> Depth(string queue, long depth) => new(depth, new KeyValuePair<string, object?>("queue", queue));

    private void Add(Counter<long> counter, string queue, int count, BrokerCounter which)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("queue", queue));
            _totals.GetOrAdd(queue, static _ => new BrokerTotals()).Add(which, count);
        }
    }

    public void Dispose() => _meter.Dispose();
}
