using Switchboard.Client;

namespace Switchboard.Bench;

/// Switchboard over the REST API: batched publishes (several in flight), long-poll receives, batched acks.
internal sealed class SwitchboardHttpTarget(SwitchboardServer server) : IBenchTarget
{
    public string Name => $"switchboard-http/{server.Engine}";

    public SwitchboardServer Host => server;

    public string Durability => server.Durability;

    public CpuProbe? Server => server.Cpu;

    public async Task PrepareAsync(string queue, CancellationToken cancellationToken)
    {
        using var client = server.CreateClient();
        await client.CreateQueueAsync(queue, new QueueOptions { LeaseSeconds = 120 }, cancellationToken);
    }

    public Task<IBenchConnection> ConnectAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IBenchConnection>(new Connection(server.CreateClient()));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Connection(SwitchboardClient client) : IBenchConnection
    {
        public async Task ProduceAsync(string queue, int count, ReadOnlyMemory<byte> payload, Counters counters, CancellationToken cancellationToken)
        {
            var message = OutgoingMessage.FromString(System.Text.Encoding.ASCII.GetString(payload.Span));
            using var inFlight = new InFlight(BenchSettings.Window);
            for (var sent = 0; sent < count; sent += BenchSettings.Batch)
            {
                var size = Math.Min(BenchSettings.Batch, count - sent);
                var batch = Enumerable.Repeat(message, size).ToArray();
                await inFlight.StartAsync(size, async () =>
                {
                    var results = await client.PublishBatchAsync(queue, batch, cancellationToken);
                    counters.AddPublished(results.Count);
                }, cancellationToken);
            }
            await inFlight.DrainAsync();
        }

        public Task PublishAsync(string queue, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken) =>
            client.PublishBatchAsync(queue, [.. bodies.Select(b => OutgoingMessage.FromString(System.Text.Encoding.ASCII.GetString(b)))], cancellationToken);

        public async Task ConsumeAsync(string queue, Counters counters, BodyReceived? received, CancellationToken cancellationToken)
        {
            // Acks run while the next receive waits; at most four ack calls per consumer are outstanding.
            using var acks = new InFlight(4);
            while (!cancellationToken.IsCancellationRequested)
            {
                var messages = await client.ReceiveAsync(queue, BenchSettings.Batch, waitSeconds: 1, leaseSeconds: 120, cancellationToken);
                if (messages.Count == 0)
                {
                    continue;
                }
                if (received is not null)
                {
                    foreach (var message in messages)
                    {
                        received(System.Text.Encoding.ASCII.GetBytes(message.Body.Length > 32 ? message.Body[..32] : message.Body));
                    }
                }
                var leases = messages.Select(m => m.Lease!).ToArray();
                await acks.StartAsync(1, async () =>
                {
                    var outcome = await client.AckAsync(queue, leases, cancellationToken);
                    counters.AddAcked(outcome.Succeeded);
                }, cancellationToken);
            }
        }

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
