using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Server.Broker;
using static Switchboard.Server.Tests.Broker.BrokerHubTesting;

namespace Switchboard.Server.Tests.Broker;

public sealed class BrokerHubDeliveryTests
{
    [Theory]
    [InlineData("sqlite", "none")]
    [InlineData("sqlite", "fifo")]
    [InlineData("postgres", "none")]
    [InlineData("postgres", "fifo")]
    public async Task Every_message_of_a_burst_reaches_the_subscriber_long_before_a_long_poll_could_time_out(string engine, string ordering)
    {
        // Receives long-poll for 30 s. A message that one receive leased while the consumer waits for another, still
        // long-polling an empty queue, arrives about 30 s late; 5 s is a margin any machine meets and that stall never does.
        const int Bursts = 20;
        const int PerBurst = 3;
        var margin = TimeSpan.FromSeconds(5);
        await using var server = await StartAsync(engine, new Dictionary<string, string?> { ["Broker:MaxWaitSeconds"] = "30" });
        var token = await server.LoginAsync();
        using (var client = server.CreateClient(token))
        {
            (await client.PostAsJsonAsync("v1/queues", new { name = "bursts", ordering })).EnsureSuccessStatusCode();
        }
        await using var publisher = await ConnectAsync(server, token, messagePack: true);
        await using var consumer = await ConnectAsync(server, token, messagePack: true);
        using var stop = new CancellationTokenSource();
        // A window wider than one receive (256 messages): on an unordered queue two receives are then out at once.
        var stream = await consumer.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "bursts", 400, (int?)null, stop.Token).WaitAsync(CallTimeout);

        for (var burst = 0; burst < Bursts; burst++)
        {
            // Idle between bursts, so every receive the consumer keeps out is waiting on the empty queue when one lands.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            var since = Stopwatch.StartNew();
            var published = await publisher.InvokeAsync<BrokerHubPublished[]>("Publish", "bursts",
                Enumerable.Range(0, PerBurst).Select(i => new BrokerHubPublishMessage { Body = Encoding.UTF8.GetBytes($"{burst}-{i}") }).ToArray())
                .WaitAsync(CallTimeout);
            var received = new List<BrokerHubMessage>();
            while (received.Count < PerBurst)
            {
                var left = margin - since.Elapsed;
                BrokerHubMessage message;
                try
                {
                    message = await stream.ReadAsync().AsTask().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"Burst {burst}: message {received.Count + 1} of {PerBurst} had not arrived {margin.TotalSeconds} s after " +
                        (ordering == "fifo" && received.Count > 0 ? "the previous one." : "its publish."));
                    throw;
                }
                received.Add(message);
                if (ordering == "fifo")
                {
                    // A FIFO queue hands out the next message only once the head is acked.
                    since.Restart();
                }
                var settled = await consumer.InvokeAsync<BrokerHubSettled[]>("Ack", "bursts", new[] { message.Lease }).WaitAsync(CallTimeout);
                Assert.True(settled[0].Ok, settled[0].Code);
            }

            Assert.Equal(published.Select(p => p.Id).Order(), received.Select(m => m.Id).Order());
        }
        await stop.CancelAsync();
    }
}
