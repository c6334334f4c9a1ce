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

    public BrokerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _published = _meter.CreateCounter<long>("switchboard.broker.published", "{message}", "Messages committed to a queue.");
        _delivered = _meter.CreateCounter<long>("switchboard.broker.delivered", "{message}", "Messages handed out by a receive (first deliveries and redeliveries).");
        _acked = _meter.CreateCounter<long>("switchboard.broker.acked", "{message}", "Messages acknowledged and deleted.");
        _nacked = _meter.CreateCounter<long>("switchboard.broker.nacked", "{message}", "Messages released by a nack.");
    }

    public Meter Meter => _meter;

    public void Published(string queue, int count) => Add(_published, queue, count);

    public void Delivered(string queue, int count) => Add(_delivered, queue, count);

    public void Acked(string queue, int count) => Add(_acked, queue, count);

    public void Nacked(string queue, int count) => Add(_nacked, queue, count);

    private static void Add(Counter<long> counter, string queue, int count)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("queue", queue));
        }
    }

    public void Dispose() => _meter.Dispose();
}
