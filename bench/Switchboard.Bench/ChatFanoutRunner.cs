using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Bench;

/// W4: chat over the SignalR hub at /hubs/chat (MessagePack). Fan-out: M connections join one room, one more
/// connection sends at a fixed rate (open loop, the due time in the text), every member connection records the delivery
/// latency of MessageReceived. Connection ceiling (W4c): open up to N idle hub connections and report how many the
/// server held and its resident memory. All connections belong to the bench's admin user: fan-out in a room is per
/// joined connection, and logging in a thousand users would dominate the run.
internal static class ChatFanoutRunner
{
    /// Connections opened at the same time while connecting many.
    private const int ConnectParallelism = 32;

    public static async Task<RunResult?> FanOutAsync(SwitchboardServer server, int members, int rate, TimeSpan duration, TimeSpan timeout, string label, CancellationToken cancellationToken)
    {
        var token = await LoginAsync(server, cancellationToken);
        var room = await CreateRoomAsync(server, token, cancellationToken);
        var messages = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var counters = new Counters((long)messages * members);
        var latencies = new Latencies();
        var connections = new List<HubConnection>();
        try
        {
            var joined = await ConnectManyAsync(server, token, members, connections, async hub =>
            {
                hub.On<ChatDelivery>("MessageReceived", message =>
                {
                    if (Stamp.Age(Encoding.ASCII.GetBytes(message.Text), Stamp.Now()) is { } age)
                    {
                        latencies.Add(age);
                    }
                    counters.AddAcked(1);
                });
                await hub.InvokeAsync<ChatJoined>("JoinRoom", room, cancellationToken);
            }, cancellationToken);
            if (joined < members)
            {
                Console.Error.WriteLine($"{label}: FAILED (only {joined} of {members} connections joined the room)");
                return null;
            }
            var sender = await ConnectAsync(server, token, cancellationToken);
            connections.Add(sender);

            var serverBefore = server.Cpu.Seconds();
            var runnerBefore = CpuProbe.Self.Seconds() ?? 0;
            var start = Stopwatch.GetTimestamp();
            using var progress = new ProgressLine(label, counters, start);
            var sending = SendAsync(sender, room, messages, rate, start, counters, cancellationToken);
            var finished = await Task.WhenAny(counters.Done, sending.ContinueWith(t => t.Exception is null ? Task.Delay(Timeout.Infinite, cancellationToken) : t, TaskScheduler.Default).Unwrap(),
                Task.Delay(timeout, cancellationToken));
            if (finished != counters.Done)
            {
                progress.Finish($"FAILED ({sending.Exception?.GetBaseException().Message ?? $"{counters.Acked} of {counters.Total} deliveries in {timeout.TotalSeconds:0} s"})");
                return null;
            }
            var seconds = Stopwatch.GetElapsedTime(start, counters.EndTimestamp).TotalSeconds;
            var result = new RunResult(counters.Total / seconds, seconds, counters.Total,
                latencies.Percentile(0.50), latencies.Percentile(0.99), latencies.Percentile(0.999),
                server.Cpu.Seconds() - serverBefore, (CpuProbe.Self.Seconds() ?? 0) - runnerBefore);
            progress.Finish($"{members} members × {messages} messages: {result.Rate:F0} deliveries/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, p99.9 {result.P999Ms:F1} ms");
            return result;
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    public static async Task<RunResult?> ConnectionCeilingAsync(SwitchboardServer server, int target, string label, CancellationToken cancellationToken)
    {
        var token = await LoginAsync(server, cancellationToken);
        var connections = new List<HubConnection>();
        try
        {
            var rssBefore = server.ResidentMb();
            var serverBefore = server.Cpu.Seconds();
            var runnerBefore = CpuProbe.Self.Seconds() ?? 0;
            var start = Stopwatch.GetTimestamp();
            var held = await ConnectManyAsync(server, token, target, connections, _ => Task.CompletedTask, cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            // Let the server settle (handshakes done, buffers trimmed) before reading its memory.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var alive = connections.Count(c => c.State == HubConnectionState.Connected);
            var result = new RunResult(held / seconds, seconds, alive, null, null, null,
                server.Cpu.Seconds() - serverBefore, (CpuProbe.Self.Seconds() ?? 0) - runnerBefore, rssBefore, server.ResidentMb());
            Console.Error.WriteLine($"{label}: {alive} of {target} connections held, server memory {result.ServerRssBeforeMb:F0} → {result.ServerRssMb:F0} MiB");
            return alive < target ? null : result;
        }
        finally
        {
            await DisposeAllAsync(connections);
        }
    }

    /// Open loop like W3: message i is due at start + i/rate and carries that time; answers are awaited at the end.
    private static async Task SendAsync(HubConnection sender, string room, int messages, int rate, long start, Counters counters, CancellationToken cancellationToken)
    {
        var ticksPerMessage = (double)Stopwatch.Frequency / rate;
        var pending = new List<Task>(messages);
        var sent = 0;
        while (sent < messages)
        {
            var due = Math.Min(messages, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                var stamp = Encoding.ASCII.GetString(Stamp.Create(start + (long)(sent * ticksPerMessage)).AsSpan(0, 19));
                pending.Add(sender.InvokeAsync<ChatDelivery>("SendMessage", room, new ChatSend { Text = stamp + " bench", ClientMessageId = Guid.NewGuid().ToString("N") }, cancellationToken));
                counters.AddPublished(1);
            }
            await Task.Delay(1, cancellationToken);
        }
        await Task.WhenAll(pending);
    }

    private static async Task<int> ConnectManyAsync(SwitchboardServer server, string token, int count, List<HubConnection> connections, Func<HubConnection, Task> setUp, CancellationToken cancellationToken)
    {
        var opened = 0;
        using var slots = new SemaphoreSlim(ConnectParallelism);
        Exception? failure = null;
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var hub = Build(server, token);
                lock (connections)
                {
                    connections.Add(hub);
                }
                await hub.StartAsync(cancellationToken);
                await setUp(hub);
                Interlocked.Increment(ref opened);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
            finally
            {
                slots.Release();
            }
        }));
        if (failure is not null)
        {
            Console.Error.WriteLine($"  {count - opened} of {count} connections failed, the first with {failure.GetType().Name}: {failure.Message}");
        }
        return opened;
    }

    private static async Task<HubConnection> ConnectAsync(SwitchboardServer server, string token, CancellationToken cancellationToken)
    {
        var hub = Build(server, token);
        await hub.StartAsync(cancellationToken);
        return hub;
    }

    private static HubConnection Build(SwitchboardServer server, string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server.Address, "hubs/chat"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                // Straight to the WebSocket: a negotiate request would leave one more idle HTTP connection per client open
                // on both sides, and at 10,000 clients the file-descriptor limit, not the server, would be measured.
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddMessagePackProtocol()
            .Build();

    private static async Task<string> LoginAsync(SwitchboardServer server, CancellationToken cancellationToken)
    {
        using var client = server.CreateClient();
        return (await client.LoginAsync("admin", SwitchboardServer.Password, cancellationToken)).AccessToken;
    }

    private static async Task<string> CreateRoomAsync(SwitchboardServer server, string token, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.PostAsJsonAsync("v1/conversations", new { kind = "room", name = $"bench-{Guid.NewGuid():N}"[..20] }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Creating the room answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        var room = await response.Content.ReadFromJsonAsync<RoomCreated>(cancellationToken) ?? throw new HttpRequestException("Creating the room answered no body.");
        return room.Id.ToString();
    }

    private static async Task DisposeAllAsync(List<HubConnection> connections)
    {
        await Task.WhenAll(connections.Select(async c =>
        {
            try
            {
                await c.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Closing after the measurement does not change its result.
            }
        }));
    }

    private sealed record RoomCreated(Guid Id);
}
