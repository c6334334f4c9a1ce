using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Sqlite.Broker;

namespace Switchboard.Engine.Tests.Broker;

public sealed class SqliteBrokerMetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Depth_is_reported_per_queue_and_expired_leases_count_as_redeliveries()
    {
        using var metrics = new BrokerMetrics();
        await using var database = TestDatabases.NewSqlite(out _);
        await using var store = new SqliteBrokerStore(database, new BrokerOptions { SweepIntervalMilliseconds = 50 }, NullLogger<SqliteBrokerStore>.Instance, null, metrics);
        var measurements = new List<(string Instrument, long Value, string? Queue)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "queue").Value as string));
            }
        });
        listener.Start();

        await store.CreateQueueAsync("q", QueueSettings.Default("q")).WaitAsync(Timeout);
        await store.PublishAsync("q", [new OutgoingMessage(Encoding.UTF8.GetBytes("a")), new OutgoingMessage(Encoding.UTF8.GetBytes("b"))]).WaitAsync(Timeout);
        await store.ReceiveAsync("q", 1, TimeSpan.FromSeconds(1), TimeSpan.Zero).WaitAsync(Timeout);
        // The other message is taken too, so the long poll below can only be answered by the expired lease's redelivery.
        await store.ReceiveAsync("q", 2, TimeSpan.FromSeconds(30), TimeSpan.Zero).WaitAsync(Timeout);
        var redelivered = await store.ReceiveAsync("q", 1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)).WaitAsync(Timeout);
        listener.RecordObservableInstruments();

        Assert.Single(redelivered);
        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Instrument == "switchboard.broker.depth" && m.Queue == "q" && m.Value == 2);
            Assert.Contains(measurements, m => m.Instrument == "switchboard.broker.redelivered" && m.Queue == "q" && m.Value == 1);
        }
    }
}
