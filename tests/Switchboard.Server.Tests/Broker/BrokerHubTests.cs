using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Broker;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Broker.BrokerHubTesting;

namespace Switchboard.Server.Tests.Broker;

public sealed class BrokerHubTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _client = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _token = await _server.LoginAsync();
        _client = _server.CreateClient(_token);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipelined_publishes_are_each_acknowledged_with_durable_ids(bool messagePack)
    {
        await CreateQueueAsync("orders");
        await using var hub = await ConnectAsync(messagePack);

        // Many calls in flight on one connection; each answers only after its batch committed.
        var calls = Enumerable.Range(0, 40).Select(call => hub.InvokeAsync<BrokerHubPublished[]>("Publish", "orders",
            Enumerable.Range(0, 5).Select(i => new BrokerHubPublishMessage { Body = Encoding.UTF8.GetBytes($"m-{call}-{i}") }).ToArray())).ToArray();
        var answers = await Task.WhenAll(calls).WaitAsync(CallTimeout);

        var ids = answers.SelectMany(a => a).Select(p => p.Id).ToHashSet();
        Assert.Equal(200, ids.Count);
        Assert.All(answers, a => Assert.Equal(5, a.Length));
        Assert.Equal(200, await StatAsync("orders", "depth"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_streaming_consumer_never_holds_more_messages_than_its_credits(bool messagePack)
    {
        const int Credits = 3;
        const int Total = 25;
        await CreateQueueAsync("work");
        await using var hub = await ConnectAsync(messagePack);
        var published = await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "work",
            Enumerable.Range(0, Total).Select(i => new BrokerHubPublishMessage { Body = Encoding.UTF8.GetBytes($"job {i}"), Headers = new() { ["n"] = $"{i}" } }).ToArray())
            .WaitAsync(CallTimeout);

        using var stop = new CancellationTokenSource();
        var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "work", Credits, (int?)null, stop.Token).WaitAsync(CallTimeout);

        // The first window: exactly the credits, and the server leases no more until something is settled.
        var first = new List<BrokerHubMessage>();
        for (var i = 0; i < Credits; i++)
        {
            first.Add(await stream.ReadAsync().AsTask().WaitAsync(CallTimeout));
        }
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(stream.TryRead(out _), "The server pushed a message beyond the consumer's credits.");
        Assert.Equal(Credits, await StatAsync("work", "inFlight"));

        // From here on: every message received is counted, and uncounted only when its ack is sent.
        var unsettled = first.Count;
        var maxUnsettled = unsettled;
        var received = new List<BrokerHubMessage>(first);
        var acks = new List<Task<BrokerHubSettled[]>>();
        var pending = new Queue<BrokerHubMessage>(first);
        while (received.Count < Total)
        {
            var ack = pending.Dequeue();
            unsettled--;
            acks.Add(hub.InvokeAsync<BrokerHubSettled[]>("Ack", "work", new[] { ack.Lease }));
            var next = await stream.ReadAsync().AsTask().WaitAsync(CallTimeout);
            unsettled++;
            maxUnsettled = Math.Max(maxUnsettled, unsettled);
            received.Add(next);
            pending.Enqueue(next);
        }
        var remaining = pending.Select(m => m.Lease).ToArray();
        acks.Add(hub.InvokeAsync<BrokerHubSettled[]>("Ack", "work", remaining));
        var settled = (await Task.WhenAll(acks).WaitAsync(CallTimeout)).SelectMany(a => a).ToArray();
        await stop.CancelAsync();

        Assert.True(maxUnsettled <= Credits, $"The consumer held {maxUnsettled} unsettled messages with {Credits} credits.");
        Assert.Equal(published.Select(p => p.Id).Order(), received.Select(m => m.Id).Order());
        Assert.Equal("job 7", Encoding.UTF8.GetString(received.Single(m => m.Headers["n"] == "7").Body));
        Assert.All(settled, s => Assert.True(s.Ok, s.Code));
        Assert.Equal(Total, settled.Length);
        Assert.Equal(0, await StatAsync("work", "depth"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_window_wider_than_one_receive_gets_every_message_once_and_never_more_than_the_window(string engine)
    {
        // 600 credits are three receives' worth: the consumer keeps two receives out at a time on an unordered queue.
        const int Credits = 600;
        const int Total = 2_000;
        await using var server = await StartAsync(engine);
        var token = await server.LoginAsync();
        using (var client = server.CreateClient(token))
        {
            (await client.PostAsJsonAsync("v1/queues", new { name = "wide" })).EnsureSuccessStatusCode();
        }
        await using var hub = await BrokerHubTesting.ConnectAsync(server, token, messagePack: true);
        var published = new List<Guid>();
        for (var batch = 0; batch < Total / 100; batch++)
        {
            var answer = await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "wide",
                Enumerable.Range(0, 100).Select(i => new BrokerHubPublishMessage { Body = Encoding.UTF8.GetBytes($"m-{batch}-{i}") }).ToArray()).WaitAsync(CallTimeout);
            published.AddRange(answer.Select(p => p.Id));
        }

        using var stop = new CancellationTokenSource();
        var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "wide", Credits, (int?)null, stop.Token).WaitAsync(CallTimeout);
        var received = new List<Guid>();
        var unsettled = new Queue<BrokerHubMessage>();
        var maxUnsettled = 0;
        var settled = 0;
        while (received.Count < Total)
        {
            var message = await stream.ReadAsync().AsTask().WaitAsync(CallTimeout);
            received.Add(message.Id);
            unsettled.Enqueue(message);
            maxUnsettled = Math.Max(maxUnsettled, unsettled.Count);
            if (unsettled.Count == Credits || received.Count == Total || !stream.TryPeek(out var _))
            {
                // Settle what is held, and count it as unsettled until the ack's answer says it committed.
                var leases = unsettled.Select(m => m.Lease).ToArray();
                var results = await hub.InvokeAsync<BrokerHubSettled[]>("Ack", "wide", leases).WaitAsync(CallTimeout);
                Assert.All(results, r => Assert.True(r.Ok, r.Code));
                settled += results.Length;
                unsettled.Clear();
            }
        }
        await stop.CancelAsync();

        Assert.True(maxUnsettled <= Credits, $"The consumer held {maxUnsettled} unsettled messages with {Credits} credits.");
        Assert.Equal(published.Order(), received.Order());
        Assert.Equal(Total, settled);
        using var stats = server.CreateClient(token);
        Assert.Equal(0, (await stats.GetFromJsonAsync<JsonElement>("v1/queues/wide/stats")).GetProperty("depth").GetInt64());
    }

    [Fact]
    public async Task Credit_widens_the_window_of_a_running_consumer()
    {
        await CreateQueueAsync("wide");
        await using var hub = await ConnectAsync(messagePack: true);
        await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "wide",
            Enumerable.Range(0, 6).Select(i => new BrokerHubPublishMessage { Body = [(byte)i] }).ToArray()).WaitAsync(CallTimeout);
        var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "wide", 1, (int?)null).WaitAsync(CallTimeout);
        await stream.ReadAsync().AsTask().WaitAsync(CallTimeout);

        var window = await hub.InvokeAsync<int>("Credit", "wide", 4).WaitAsync(CallTimeout);
        for (var i = 0; i < 4; i++)
        {
            await stream.ReadAsync().AsTask().WaitAsync(CallTimeout);
        }

        Assert.Equal(5, window);
        Assert.Equal(5, await StatAsync("wide", "inFlight"));
    }

    [Fact]
    public async Task A_dropped_consumer_connection_returns_its_messages_at_once()
    {
        // Leases of ten minutes: only the release on disconnect can make them visible again within the test.
        using var created = await _client.PostAsJsonAsync("v1/queues", new { name = "dropped", leaseSeconds = 600 });
        created.EnsureSuccessStatusCode();
        var hub = await ConnectAsync(messagePack: false);
        await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "dropped",
            Enumerable.Range(0, 4).Select(i => new BrokerHubPublishMessage { Body = [(byte)i] }).ToArray()).WaitAsync(CallTimeout);
        var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "dropped", 4, (int?)null).WaitAsync(CallTimeout);
        var held = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            held.Add((await stream.ReadAsync().AsTask().WaitAsync(CallTimeout)).Id);
        }

        await hub.DisposeAsync().AsTask().WaitAsync(CallTimeout);
        var again = new List<JsonElement>();
        while (again.Count < 4)
        {
            using var response = await _client.PostAsJsonAsync("v1/queues/dropped/receive", new { max = 10, waitSeconds = 10 });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var messages = body.GetProperty("messages").EnumerateArray().ToArray();
            Assert.NotEmpty(messages);
            again.AddRange(messages);
        }

        Assert.Equal(held.Order(), again.Select(m => m.GetProperty("id").GetGuid()).Order());
        Assert.All(again, m => Assert.Equal(2, m.GetProperty("deliveryCount").GetInt32()));
    }

    [Fact]
    public async Task A_connection_without_credentials_is_refused()
    {
        var hub = Builder(messagePack: false, $"{_server.BaseAddress}hubs/broker").Build();
        await using (hub)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync().WaitAsync(CallTimeout));
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Consuming_without_the_consume_scope_is_refused_with_its_error_code(bool messagePack)
    {
        await CreateQueueAsync("orders");
        using var created = await _client.PostAsJsonAsync("v1/api-keys", new { name = "publisher", scopes = new[] { "broker:publish:orders" } });
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var hub = Builder(messagePack, $"{_server.BaseAddress}hubs/broker", o => o.Headers["X-Api-Key"] = key).Build();
        await using (hub)
        {
            await hub.StartAsync().WaitAsync(CallTimeout);

            var published = await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "orders", new[] { new BrokerHubPublishMessage { Body = [1] } }).WaitAsync(CallTimeout);
            var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "orders", 10, (int?)null).WaitAsync(CallTimeout);
            var refused = await StreamErrorAsync(stream);
            var ackRefused = await Assert.ThrowsAsync<HubException>(() =>
                hub.InvokeAsync<BrokerHubSettled[]>("Ack", "orders", new[] { Switchboard.Broker.LeaseToken.New(Guid.NewGuid(), 1).ToString() }).WaitAsync(CallTimeout));

            Assert.Single(published);
            Assert.Contains("HubException: insufficient_scope: ", refused.Message, StringComparison.Ordinal);
            Assert.Contains("broker:consume:orders", refused.Message, StringComparison.Ordinal);
            Assert.Contains("HubException: insufficient_scope: ", ackRefused.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A stream refused by the server completes with the hub error inside the client's channel exception.</summary>
    private static async Task<HubException> StreamErrorAsync(ChannelReader<BrokerHubMessage> stream)
    {
        var closed = await Assert.ThrowsAsync<ChannelClosedException>(() => stream.ReadAsync().AsTask().WaitAsync(CallTimeout));
        return Assert.IsType<HubException>(closed.InnerException);
    }

    private Task<HubConnection> ConnectAsync(bool messagePack) => BrokerHubTesting.ConnectAsync(_server, _token, messagePack);

    private async Task CreateQueueAsync(string name)
    {
        using var response = await _client.PostAsJsonAsync("v1/queues", new { name });
        response.EnsureSuccessStatusCode();
    }

    private async Task<long> StatAsync(string queue, string field)
    {
        var stats = await _client.GetFromJsonAsync<JsonElement>($"v1/queues/{queue}/stats");
        return stats.GetProperty(field).GetInt64();
    }
}
