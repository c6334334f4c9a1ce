using StackExchange.Redis;

namespace Switchboard.Bench;

/// Redis Streams (the server runs with appendfsync always): XADD pipelined, XREADGROUP in a consumer group,
/// XACK plus XDEL so an acked message is gone as in the other systems.
internal sealed class RedisTarget(int port) : IBenchTarget
{
    private const string Group = "bench";

    private readonly string _endpoint = $"127.0.0.1:{port}";

    public string Name => "redis-streams";

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

        public async Task ConsumeAsync(string queue, Counters counters, CancellationToken cancellationToken)
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
