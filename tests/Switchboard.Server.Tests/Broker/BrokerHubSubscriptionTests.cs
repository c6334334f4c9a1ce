using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Server.Broker;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Broker.BrokerHubTesting;

namespace Switchboard.Server.Tests.Broker;

/// <summary>
/// A subscription ends when its client is done with it: when the documented loop is left and its token cancelled, when
/// the client stops reading, and when the connection subscribes to the queue again. Leases of ten minutes: only a
/// release by the server can make the messages available again within a test.
/// </summary>
public sealed class BrokerHubSubscriptionTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Leaving_the_documented_loop_and_cancelling_its_token_ends_the_subscription_and_releases_its_messages(string engine)
    {
        await using var server = await StartAsync(engine);
        var (http, hub) = await PrepareAsync(server, "loop", 5);
        using var _ = http;
        await using var __ = hub;

        // The loop of docs/broker.md: leave it after the first message, and cancel the token on the way out.
        BrokerHubMessage? first = null;
        using (var stop = new CancellationTokenSource())
        {
            try
            {
                await foreach (var message in hub.StreamAsync<BrokerHubMessage>("Subscribe", "loop", 3, (int?)null, stop.Token))
                {
                    first = message;
                    break;
                }
            }
            finally
            {
                await stop.CancelAsync();
            }
        }

        Assert.NotNull(first);
        await WaitForInFlightAsync(http, "loop", 0);
        var credit = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<int>("Credit", "loop", 1).WaitAsync(CallTimeout));
        Assert.Contains("HubException: not_consuming: ", credit.Message, StringComparison.Ordinal);
        var again = await ReadAsync(hub, "loop", 5);
        Assert.Contains(again, m => m.Id == first.Id && m.DeliveryCount == 2);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_client_that_stops_reading_has_its_messages_released_after_the_idle_time_and_may_subscribe_again(string engine)
    {
        await using var server = await StartAsync(engine, new Dictionary<string, string?> { ["Broker:Hub:IdleSubscriptionSeconds"] = "2" });
        var (http, hub) = await PrepareAsync(server, "idle", 5);
        using var _ = http;
        await using var __ = hub;

        // No token, no Ack, no Credit: a client that stopped reading.
        var abandoned = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "idle", 3, (int?)null).WaitAsync(CallTimeout);
        await WaitForInFlightAsync(http, "idle", 3);
        await WaitForInFlightAsync(http, "idle", 0);

        var held = new List<BrokerHubMessage>();
        var ended = await Assert.ThrowsAsync<ChannelClosedException>(async () =>
        {
            while (true)
            {
                held.Add(await abandoned.ReadAsync().AsTask().WaitAsync(CallTimeout));
            }
        });
        Assert.Equal(3, held.Count);
        Assert.Contains("HubException: subscription_idle: ", Assert.IsType<HubException>(ended.InnerException).Message, StringComparison.Ordinal);
        var again = await ReadAsync(hub, "idle", 5);
        Assert.Equal(3, again.Count(m => m.DeliveryCount == 2));
        Assert.Subset(again.Select(m => m.Id).ToHashSet(), held.Select(m => m.Id).ToHashSet());
    }

    [Fact]
    public async Task A_subscription_that_keeps_acking_is_not_idle()
    {
        await using var server = await StartAsync("sqlite", new Dictionary<string, string?> { ["Broker:Hub:IdleSubscriptionSeconds"] = "5" });
        var (http, hub) = await PrepareAsync(server, "busy", 0);
        using var _ = http;
        await using var __ = hub;
        using var stop = new CancellationTokenSource();
        var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "busy", 1, (int?)null, stop.Token).WaitAsync(CallTimeout);

        // One message at a time for longer than the idle time, each acked a little after it arrived.
        var clock = Stopwatch.StartNew();
        var handled = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(7))
        {
            await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "busy", new[] { new BrokerHubPublishMessage { Body = [(byte)handled] } }).WaitAsync(CallTimeout);
            var message = await stream.ReadAsync().AsTask().WaitAsync(CallTimeout);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var settled = await hub.InvokeAsync<BrokerHubSettled[]>("Ack", "busy", new[] { message.Lease }).WaitAsync(CallTimeout);
            Assert.True(settled[0].Ok, settled[0].Code);
            handled++;
        }

        Assert.False(stream.Completion.IsCompleted, "A subscription that acks was ended as idle.");
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Subscribing_again_on_a_connection_replaces_the_subscription_a_loop_left_without_a_token()
    {
        await using var server = await StartAsync("sqlite");
        var (http, hub) = await PrepareAsync(server, "twice", 5);
        using var _ = http;
        await using var __ = hub;

        // Left without a token: the server is not told, and the subscription keeps its three messages.
        await foreach (var message in hub.StreamAsync<BrokerHubMessage>("Subscribe", "twice", 3, (int?)null))
        {
            break;
        }
        await WaitForInFlightAsync(http, "twice", 3);

        var again = await ReadAsync(hub, "twice", 5);
        var window = await hub.InvokeAsync<int>("Credit", "twice", 1).WaitAsync(CallTimeout);

        Assert.Equal(3, again.Count(m => m.DeliveryCount == 2));
        Assert.Equal(11, window);
    }

    /// <summary>A queue with <paramref name="count"/> messages and ten-minute leases, an API client and a hub connection.</summary>
    private static async Task<(HttpClient Http, HubConnection Hub)> PrepareAsync(RunningServer server, string queue, int count)
    {
        var token = await server.LoginAsync();
        var http = server.CreateClient(token);
        (await http.PostAsJsonAsync("v1/queues", new { name = queue, leaseSeconds = 600 })).EnsureSuccessStatusCode();
        var hub = await ConnectAsync(server, token, messagePack: true);
        if (count > 0)
        {
            await hub.InvokeAsync<BrokerHubPublished[]>("Publish", queue,
                Enumerable.Range(0, count).Select(i => new BrokerHubPublishMessage { Body = [(byte)i] }).ToArray()).WaitAsync(CallTimeout);
        }
        return (http, hub);
    }

    /// <summary>Subscribes with a window of 10 and reads <paramref name="count"/> messages; the subscription stays open.</summary>
    private static async Task<List<BrokerHubMessage>> ReadAsync(HubConnection hub, string queue, int count)
    {
        var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", queue, 10, (int?)null).WaitAsync(CallTimeout);
        var messages = new List<BrokerHubMessage>();
        while (messages.Count < count)
        {
            messages.Add(await stream.ReadAsync().AsTask().WaitAsync(CallTimeout));
        }
        return messages;
    }

    private static async Task WaitForInFlightAsync(HttpClient http, string queue, long expected)
    {
        var deadline = Stopwatch.StartNew();
        long inFlight;
        while ((inFlight = (await http.GetFromJsonAsync<JsonElement>($"v1/queues/{queue}/stats").WaitAsync(CallTimeout)).GetProperty("inFlight").GetInt64()) != expected)
        {
            Assert.True(deadline.Elapsed < CallTimeout, $"'{queue}' still has {inFlight} messages in flight, not {expected}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
