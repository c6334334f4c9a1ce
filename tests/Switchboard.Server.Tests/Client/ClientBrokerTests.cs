using Switchboard.Client;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Client;

/// <summary>The SDK against the broker endpoints of a real server.</summary>
public sealed class ClientBrokerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RunningServer _server = null!;
    private SwitchboardClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _client = new SwitchboardClient(_server.BaseAddress, SwitchboardCredentials.FromPassword("admin", RunningServer.AdminPassword));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Queues_are_created_listed_read_updated_and_deleted()
    {
        var created = await _client.CreateQueueAsync("orders", new QueueOptions { LeaseSeconds = 12, Ordering = "fifo" }).WaitAsync(Timeout);
        var listed = await _client.ListQueuesAsync().WaitAsync(Timeout);
        var updated = await _client.UpdateQueueAsync("orders", new QueueOptions { MaxDeliveries = 2 }).WaitAsync(Timeout);
        var read = await _client.GetQueueAsync("orders").WaitAsync(Timeout);
        await _client.DeleteQueueAsync("orders").WaitAsync(Timeout);
        var gone = await Assert.ThrowsAsync<SwitchboardApiException>(() => _client.GetQueueAsync("orders").WaitAsync(Timeout));

        Assert.Equal(12, created.LeaseSeconds);
        Assert.Equal("fifo", created.Ordering);
        Assert.Equal("orders.dlq", created.DeadLetterQueue);
        Assert.Equal(["orders", "orders.dlq"], listed.Select(q => q.Name));
        Assert.NotNull(listed[0].Stats);
        Assert.Equal(2, updated.MaxDeliveries);
        Assert.Equal(12, updated.LeaseSeconds);
        Assert.Equal(0, read.Stats!.Depth);
        Assert.Equal("queue_not_found", gone.Code);
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Text_and_binary_bodies_round_trip_through_publish_and_receive()
    {
        await _client.CreateQueueAsync("q").WaitAsync(Timeout);
        var binary = new byte[] { 0, 1, 2, 250, 255 };

        var text = await _client.PublishAsync("q", "héllo").WaitAsync(Timeout);
        var raw = await _client.PublishAsync("q", binary).WaitAsync(Timeout);
        var batch = await _client.PublishBatchAsync("q",
        [
            OutgoingMessage.FromString("b1") with { Headers = new Dictionary<string, string> { ["kind"] = "k" }, Priority = 3 },
            OutgoingMessage.FromString("b2"),
        ]).WaitAsync(Timeout);
        var messages = await _client.ReceiveAsync("q", max: 10, waitSeconds: 1, leaseSeconds: 30).WaitAsync(Timeout);

        Assert.Equal(2, batch.Count);
        Assert.Equal(4, messages.Count);
        var first = messages.Single(m => m.Id == text.Id);
        Assert.Equal("héllo", first.GetBodyString());
        Assert.Equal("utf8", first.BodyEncoding);
        var second = messages.Single(m => m.Id == raw.Id);
        Assert.Equal("base64", second.BodyEncoding);
        Assert.Equal(binary, second.GetBodyBytes());
        var withHeader = messages.Single(m => m.Id == batch[0].Id);
        Assert.Equal("k", withHeader.Headers["kind"]);
        Assert.Equal(3, withHeader.Priority);
        Assert.All(messages, m => Assert.NotNull(m.Lease));
    }

    [Fact]
    public async Task Ack_nack_and_extend_answer_per_lease()
    {
        await _client.CreateQueueAsync("q").WaitAsync(Timeout);
        await _client.PublishBatchAsync("q", [OutgoingMessage.FromString("a"), OutgoingMessage.FromString("b")]).WaitAsync(Timeout);
        var received = await _client.ReceiveAsync("q", max: 2).WaitAsync(Timeout);
        var leases = received.Select(m => m.Lease!).ToArray();

        var extended = await _client.ExtendAsync("q", leases, leaseSeconds: 120).WaitAsync(Timeout);
        var nacked = await _client.NackAsync("q", [leases[0]], reason: "later").WaitAsync(Timeout);
        var acked = await _client.AckAsync("q", leases).WaitAsync(Timeout);
        var staleSingle = await _client.AckAsync("q", [leases[1]]).WaitAsync(Timeout);
        var again = await _client.ReceiveAsync("q", max: 10).WaitAsync(Timeout);

        Assert.Equal(2, extended.Succeeded);
        Assert.All(extended.Results, r => Assert.True(r.LeaseExpiresAt > DateTimeOffset.UtcNow.AddSeconds(60)));
        Assert.Equal(1, nacked.Succeeded);
        Assert.Equal(1, acked.Succeeded);
        Assert.Equal(1, acked.Failed);
        Assert.Equal("lease_expired", acked.Results[0].Code);
        Assert.True(acked.Results[1].Ok);
        Assert.Equal(1, staleSingle.Failed);
        Assert.Equal("lease_expired", staleSingle.Results[0].Code);
        var redelivered = Assert.Single(again);
        Assert.Equal(received[0].Id, redelivered.Id);
        Assert.Equal(2, redelivered.DeliveryCount);
    }

    [Fact]
    public async Task Dead_letters_are_peeked_redriven_and_counted_in_stats()
    {
        await _client.CreateQueueAsync("jobs").WaitAsync(Timeout);
        var published = await _client.PublishAsync("jobs", "poison").WaitAsync(Timeout);
        var received = await _client.ReceiveAsync("jobs").WaitAsync(Timeout);
        await _client.NackAsync("jobs", [received[0].Lease!], reason: "bad", deadLetter: true).WaitAsync(Timeout);

        var stats = await _client.GetQueueStatsAsync("jobs").WaitAsync(Timeout);
        var dead = await _client.PeekAsync("jobs.dlq", limit: 5).WaitAsync(Timeout);
        var moved = await _client.RedriveAsync("jobs.dlq").WaitAsync(Timeout);
        var after = await _client.GetQueueStatsAsync("jobs").WaitAsync(Timeout);
        var total = await _client.GetBrokerStatsAsync().WaitAsync(Timeout);
        var purged = await _client.PurgeQueueAsync("jobs").WaitAsync(Timeout);

        Assert.Equal(1, stats.DeadLetterDepth);
        var letter = Assert.Single(dead);
        Assert.Equal(published.Id, letter.Id);
        Assert.Equal("jobs", letter.SourceQueue);
        Assert.Equal("ready", letter.State);
        Assert.Null(letter.Lease);
        Assert.Equal("bad", Assert.Single(letter.History!).Reason);
        Assert.Equal(1, moved);
        Assert.Equal(1, after.Depth);
        Assert.Equal(0, after.DeadLetterDepth);
        Assert.Equal(2, total.Queues);
        Assert.Equal(1, total.Depth);
        Assert.Equal(1, purged);
    }

    [Fact]
    public async Task Topic_messages_fan_out_to_matching_subscriptions()
    {
        await _client.CreateQueueAsync("eu").WaitAsync(Timeout);
        await _client.CreateQueueAsync("all").WaitAsync(Timeout);
        var topic = await _client.CreateTopicAsync("orders").WaitAsync(Timeout);
        var eu = await _client.SubscribeAsync("orders", "eu", "orders.eu.*").WaitAsync(Timeout);
        await _client.SubscribeAsync("orders", "all", "orders.>").WaitAsync(Timeout);

        var single = await _client.PublishToTopicAsync("orders", "orders.eu.created", OutgoingMessage.FromString("one")).WaitAsync(Timeout);
        var batch = await _client.PublishBatchToTopicAsync("orders", "orders.us.created", [OutgoingMessage.FromString("two")]).WaitAsync(Timeout);
        var topics = await _client.ListTopicsAsync().WaitAsync(Timeout);
        var subscriptions = await _client.ListSubscriptionsAsync("orders").WaitAsync(Timeout);
        var fromEu = await _client.ReceiveAsync("eu", max: 10).WaitAsync(Timeout);
        await _client.DeleteSubscriptionAsync("orders", eu.Id).WaitAsync(Timeout);
        await _client.DeleteTopicAsync("orders").WaitAsync(Timeout);
        var topicsAfter = await _client.ListTopicsAsync().WaitAsync(Timeout);

        Assert.Equal("orders", topic.Name);
        Assert.Equal(["all", "eu"], single.Deliveries.Select(d => d.Queue).Order());
        Assert.Equal(["all"], Assert.Single(batch).Deliveries.Select(d => d.Queue));
        Assert.Equal(["$sys.events", "orders"], topics.Select(t => t.Name));
        Assert.Equal(2, topics.Single(t => t.Name == "orders").Subscriptions);
        Assert.Equal(2, subscriptions.Count);
        var message = Assert.Single(fromEu);
        Assert.Equal("one", message.Body);
        Assert.Equal("orders.eu.created", message.Headers["$subject"]);
        Assert.Equal(["$sys.events"], topicsAfter.Select(t => t.Name));
    }

    [Fact]
    public async Task An_api_key_without_the_scope_gets_insufficient_scope()
    {
        await _client.CreateQueueAsync("orders").WaitAsync(Timeout);
        var key = await _client.CreateApiKeyAsync(new CreateApiKeyRequest("consumer", ["broker:consume:orders"])).WaitAsync(Timeout);
        using var consumer = new SwitchboardClient(_server.BaseAddress, SwitchboardCredentials.FromApiKey(key.Key));

        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() => consumer.PublishAsync("orders", "x").WaitAsync(Timeout));
        var received = await consumer.ReceiveAsync("orders").WaitAsync(Timeout);

        Assert.Equal(403, problem.Status);
        Assert.Equal("insufficient_scope", problem.Code);
        Assert.Empty(received);
    }
}
