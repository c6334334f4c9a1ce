using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Bench;

/// Switchboard over the streaming hub with MessagePack: pipelined Publish calls, a credit-based Subscribe stream,
/// batched Ack calls.
internal sealed class SwitchboardHubTarget(SwitchboardServer server) : IBenchTarget
{
    public string Name => $"switchboard-hub/{server.Engine}";

    public SwitchboardServer Host => server;

    public string Durability => server.Durability;

    public CpuProbe? Server => server.Cpu;

    public async Task PrepareAsync(string queue, CancellationToken cancellationToken)
    {
        using var client = server.CreateClient();
        await client.CreateQueueAsync(queue, new Client.QueueOptions { LeaseSeconds = 120 }, cancellationToken);
    }

    public async Task<IBenchConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        using var client = server.CreateClient();
        var token = (await client.LoginAsync("admin", SwitchboardServer.Password, cancellationToken)).AccessToken;
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Address, "hubs/broker"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        await hub.StartAsync(cancellationToken);
        return new Connection(hub);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Connection(HubConnection hub) : IBenchConnection
    {
        public async Task ProduceAsync(string queue, int count, ReadOnlyMemory<byte> payload, Counters counters, CancellationToken cancellationToken)
        {
            var body = payload.ToArray();
            using var inFlight = new InFlight(BenchSettings.Window);
            for (var sent = 0; sent < count; sent += BenchSettings.Batch)
            {
                var size = Math.Min(BenchSettings.Batch, count - sent);
                var batch = new HubPublishMessage[size];
                Array.Fill(batch, new HubPublishMessage { Body = body });
                await inFlight.StartAsync(size, async () =>
                {
                    var results = await hub.InvokeAsync<HubPublished[]>("Publish", queue, batch, cancellationToken);
                    counters.AddPublished(results.Length);
                }, cancellationToken);
            }
            await inFlight.DrainAsync();
        }

        public Task PublishAsync(string queue, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken) =>
            hub.InvokeAsync<HubPublished[]>("Publish", queue, bodies.Select(b => new HubPublishMessage { Body = b }).ToArray(), cancellationToken);

        public async Task ConsumeAsync(string queue, Counters counters, BodyReceived? received, CancellationToken cancellationToken)
        {
            var stream = await hub.StreamAsChannelAsync<HubMessage>("Subscribe", queue, BenchSettings.Window, (int?)120, cancellationToken);
            using var acks = new InFlight(8);
            var leases = new List<string>(BenchSettings.Batch);
            while (await stream.WaitToReadAsync(cancellationToken))
            {
                // Ack what has arrived so far in one call, without waiting for the answer before reading on.
                while (leases.Count < BenchSettings.Batch && stream.TryRead(out var message))
                {
                    received?.Invoke(message.Body);
                    leases.Add(message.Lease);
                }
                var batch = leases.ToArray();
                leases.Clear();
                await acks.StartAsync(1, async () =>
                {
                    var results = await hub.InvokeAsync<HubSettled[]>("Ack", queue, batch, cancellationToken);
                    counters.AddAcked(results.Count(r => r.Ok));
                }, cancellationToken);
            }
        }

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }
}
