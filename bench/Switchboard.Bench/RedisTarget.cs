using StackExchange.Redis;

namespace Switchboard.Bench;

/// Redis Streams (one server with appendfsync always, one with everysec): XADD pipelined, XREADGROUP in a consumer
/// group, XACK plus XDEL so an acked message is gone as in the other systems.
internal sealed class RedisTarget(int port, bool everySecond, string peersDirectory) : IBenchTarget
{
    private const string Group = "bench";

    private readonly string _endpoint = $"127.0.0.1:{port}";

    public string Name => everySecond ? "redis-streams-everysec" : "redis-streams";

    public string Durability => everySecond
        ? "AOF appendfsync everysec: replies before fsync, up to ~1 s of acked writes lost on a crash"
        : "AOF appendfsync always: fsync before the replies of each event-loop round";

    public CpuProbe? Server => CpuProbe.ForGroupInPidFile(Path.Combine(peersDirectory, everySecond ? "redis-everysec.pid" : "redis.pid"));

    public async Task PrepareAsync(string queue, CancellationToken cancellationToken)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_endpoint);
        var db = redis.GetDatabase();
        await db.KeyDeleteAsync(queue);
        await db.StreamCreateConsumerGroupAsync(queue, Group, "0-0", createStream: true);
    }

    public async Task<IBenchConnection> ConnectAsync(CancellationToken cancellationToken) =>
        new Connection(await ConnectionMultiplexer.ConnectAsync(_endpoint));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Connection(ConnectionMultiplexer redis) : IBenchConnection
    {
        private readonly string _name = Guid.NewGuid().ToString("N");

        public async Task ProduceAsync(string queue, int count, ReadOnlyMemory<byte> payload, Counters counters, CancellationToken cancellationToken)
        {
            var db = redis.GetDatabase();
            RedisValue body = payload.ToArray();
            using var inFlight = new InFlight(BenchSettings.Window);
            for (var i = 0; i < count; i++)
            {
                await inFlight.StartAsync(1, async () =>
                {
                    await db.StreamAddAsync(queue, "b", body);
                    counters.AddPublished(1);
                }, cancellationToken);
            }
            await inFlight.DrainAsync();
        }

        public Task PublishAsync(string queue, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken)
        {
            var db = redis.GetDatabase();
            return Task.WhenAll(bodies.Select(body => db.StreamAddAsync(queue, "b", body)));
        }

        public async Task ConsumeAsync(string queue, Counters counters, BodyReceived? received, CancellationToken cancellationToken)
        {
            var db = redis.GetDatabase();
            using var acks = new InFlight(4);
            while (!cancellationToken.IsCancellationRequested)
            {
                // The multiplexer cannot block (no BLOCK), so an empty read backs off for a millisecond.
                var entries = await db.StreamReadGroupAsync(queue, Group, _name, ">", BenchSettings.Batch);
                if (entries.Length == 0)
                {
                    await Task.Delay(1, cancellationToken);
                    continue;
                }
                if (received is not null)
                {
                    foreach (var entry in entries)
                    {
                        received(((ReadOnlyMemory<byte>)entry.Values[0].Value).Span);
                    }
                }
                var ids = entries.Select(e => e.Id).ToArray();
                await acks.StartAsync(1, async () =>
                {
                    var acked = db.StreamAcknowledgeAsync(queue, Group, ids);
                    var deleted = db.StreamDeleteAsync(queue, ids);
                    counters.AddAcked(await acked);
                    await deleted;
                }, cancellationToken);
            }
        }

        public ValueTask DisposeAsync() => redis.DisposeAsync();
    }
}
