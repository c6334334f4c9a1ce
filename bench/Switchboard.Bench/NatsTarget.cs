using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;

namespace Switchboard.Bench;

/// NATS JetStream: a file-backed work-queue stream (an ack removes the message), one shared durable pull consumer
/// with explicit acks, publishes awaiting their JetStream ack.
internal sealed class NatsTarget(int port, string peersDirectory) : IBenchTarget
{
    private readonly string _url = $"nats://127.0.0.1:{port}";

    public string Name => "nats-jetstream";

    // peers.sh records whether the server accepted `sync_interval: always`.
    public string Durability => PeerVersions.Read(peersDirectory).TryGetValue("nats", out var version) && version.Contains("sync_interval always", StringComparison.Ordinal)
        ? "file store, sync_interval always: fsync before the PubAck"
        : "file store, default sync: PubAck after the write to the OS, fsync every 2 min";

    public CpuProbe? Server => CpuProbe.ForGroupInPidFile(Path.Combine(peersDirectory, "nats.pid"));

    public async Task PrepareAsync(string queue, CancellationToken cancellationToken)
    {
        await using var client = new NatsClient(_url);
        var js = client.CreateJetStreamContext();
        await js.CreateStreamAsync(new StreamConfig(queue, [queue])
        {
            Storage = StreamConfigStorage.File,
            Retention = StreamConfigRetention.Workqueue,
        }, cancellationToken);
        await js.CreateOrUpdateConsumerAsync(queue, new ConsumerConfig("bench")
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            MaxAckPending = 4 * BenchSettings.Window,
        }, cancellationToken);
    }

    public async Task<IBenchConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new NatsClient(_url);
        await client.ConnectAsync();
        return new Connection(client);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Connection(NatsClient client) : IBenchConnection
    {
        public async Task ProduceAsync(string queue, int count, ReadOnlyMemory<byte> payload, Counters counters, CancellationToken cancellationToken)
        {
            var js = client.CreateJetStreamContext();
            var body = payload.ToArray();
            using var inFlight = new InFlight(BenchSettings.Window);
            for (var i = 0; i < count; i++)
            {
                await inFlight.StartAsync(1, async () =>
                {
                    var ack = await js.PublishAsync(queue, body, cancellationToken: cancellationToken);
                    ack.EnsureSuccess();
                    counters.AddPublished(1);
                }, cancellationToken);
            }
            await inFlight.DrainAsync();
        }

        public async Task PublishAsync(string queue, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken)
        {
            var js = client.CreateJetStreamContext();
            var acks = await Task.WhenAll(bodies.Select(body => js.PublishAsync(queue, body, cancellationToken: cancellationToken).AsTask()));
            foreach (var ack in acks)
            {
                ack.EnsureSuccess();
            }
        }

        public async Task ConsumeAsync(string queue, Counters counters, BodyReceived? received, CancellationToken cancellationToken)
        {
            var js = client.CreateJetStreamContext();
            var consumer = await js.GetConsumerAsync(queue, "bench", cancellationToken);
            await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = BenchSettings.Window }, cancellationToken: cancellationToken))
            {
                received?.Invoke(message.Data);
                await message.AckAsync(cancellationToken: cancellationToken);
                counters.AddAcked(1);
            }
        }

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
