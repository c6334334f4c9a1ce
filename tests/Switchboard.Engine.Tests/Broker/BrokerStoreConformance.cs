using System.Text;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Events;

namespace Switchboard.Engine.Tests.Broker;

/// <summary>
/// The broker semantics every engine must give, run unchanged against each one. Leases are short (1 s) and every
/// wait has a timeout; nothing asserts on speed.
/// </summary>
public abstract class BrokerStoreConformance : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(10);

    protected IBrokerStore Store { get; private set; } = null!;

    /// <summary>A store on a fresh, empty database.</summary>
    protected abstract Task<IBrokerStore> OpenAsync();

    /// <summary>Closes the store and opens a new one on the same database, as a server restart would.</summary>
    protected abstract Task<IBrokerStore> ReopenAsync();

    protected abstract Task CloseAsync();

    /// <summary>Commits <paramref name="entries"/> inside another write of the engine, which then fails when <paramref name="fail"/>.</summary>
    protected abstract Task CommitWithOutboxAsync(IReadOnlyList<OutboxEntry> entries, bool fail);

    public async Task InitializeAsync() => Store = await OpenAsync().WaitAsync(Timeout);

    public async Task DisposeAsync() => await CloseAsync().WaitAsync(Timeout);

    [Fact]
    public async Task Messages_of_equal_priority_are_delivered_in_publish_order()
    {
        await CreateAsync("orders");
        await PublishAsync("orders", [Text("1"), Text("2"), Text("3"), Text("4"), Text("5")]);

        var received = await ReceiveAsync("orders", 10);

        Assert.Equal(["1", "2", "3", "4", "5"], received.Select(Body));
        Assert.All(received, m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task A_fifo_queue_hands_out_its_head_only_until_the_head_is_settled()
    {
        await CreateAsync("fifo", s => s with { Ordering = QueueOrdering.Fifo });
        await PublishAsync("fifo", [Text("a"), Text("b"), Text("c")]);

        var first = await ReceiveAsync("fifo", 10);
        var whileHeadInFlight = await ReceiveAsync("fifo", 10);
        await AckAsync("fifo", first[0]);
        var second = await ReceiveAsync("fifo", 10);

        Assert.Equal(["a"], first.Select(Body));
        Assert.Empty(whileHeadInFlight);
        Assert.Equal(["b"], second.Select(Body));
    }

    [Fact]
    public async Task An_expired_lease_redelivers_with_the_delivery_count_increased()
    {
        await CreateAsync("q");
        var published = await PublishAsync("q", [Text("x")]);

        var first = Assert.Single(await ReceiveAsync("q", 1, OneSecond));
        var again = Assert.Single(await ReceiveAsync("q", 1, OneSecond, LongWait));

        Assert.Equal(published[0].Id, first.Id);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, again.DeliveryCount);
        Assert.NotEqual(first.Lease, again.Lease);
    }

    [Fact]
    public async Task A_lease_from_an_earlier_delivery_cannot_settle_the_current_one()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("x")]);
        var first = Assert.Single(await ReceiveAsync("q", 1, OneSecond));
        var second = Assert.Single(await ReceiveAsync("q", 1, TimeSpan.FromSeconds(30), LongWait));

        var stale = Assert.Single(await Store.AckAsync("q", [Lease(first)]).WaitAsync(Timeout));
        var staleNack = Assert.Single(await Store.NackAsync("q", [Lease(first)], NackOptions.Now).WaitAsync(Timeout));
        var staleExtend = Assert.Single(await Store.ExtendAsync("q", [Lease(first)], TimeSpan.FromSeconds(30)).WaitAsync(Timeout));
        var current = Assert.Single(await Store.AckAsync("q", [Lease(second)]).WaitAsync(Timeout));

        Assert.Equal(ErrorCodes.LeaseExpired, stale.Error);
        Assert.Equal(ErrorCodes.LeaseExpired, staleNack.Error);
        Assert.Equal(ErrorCodes.LeaseExpired, staleExtend.Error);
        Assert.True(current.Succeeded);
        Assert.Equal(0, (await StatsAsync("q")).Depth);
    }

    [Fact]
    public async Task Ack_deletes_and_a_second_ack_of_the_same_lease_fails()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("x"), Text("y")]);
        var received = await ReceiveAsync("q", 2);

        var results = await Store.AckAsync("q", received.Select(Lease).ToArray()).WaitAsync(Timeout);
        var again = await Store.AckAsync("q", [Lease(received[0])]).WaitAsync(Timeout);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(ErrorCodes.LeaseExpired, Assert.Single(again).Error);
        Assert.Empty(await Store.PeekAsync("q", 10).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_large_batch_is_published_received_and_acked_in_full()
    {
        await CreateAsync("q");
        var published = await PublishAsync("q", Enumerable.Range(0, 150).Select(i => Text(i.ToString())).ToArray());

        var received = await ReceiveAsync("q", 1000);
        var results = await Store.AckAsync("q", received.Select(Lease).ToArray()).WaitAsync(Timeout);

        Assert.Equal(published.Select(p => p.Id), received.Select(m => m.Id));
        Assert.Equal(150, results.Count(r => r.Succeeded));
        Assert.Equal(0, (await StatsAsync("q")).Depth);
        Assert.Empty(await Store.PeekAsync("q", 10).WaitAsync(Timeout));
    }

    [Fact]
    public async Task An_extended_lease_outlives_its_original_expiry()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("x")]);
        var message = Assert.Single(await ReceiveAsync("q", 1, OneSecond));

        var extended = Assert.Single(await Store.ExtendAsync("q", [Lease(message)], TimeSpan.FromSeconds(30)).WaitAsync(Timeout));
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        var nothingRedelivered = await ReceiveAsync("q", 1);
        var ack = Assert.Single(await Store.AckAsync("q", [Lease(message)]).WaitAsync(Timeout));

        Assert.True(extended.Succeeded);
        Assert.NotNull(extended.LeaseExpiresAt);
        Assert.Empty(nothingRedelivered);
        Assert.True(ack.Succeeded);
    }

    [Fact]
    public async Task A_nack_with_a_delay_hides_the_message_until_the_delay_passes()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("x")]);
        var message = Assert.Single(await ReceiveAsync("q", 1));

        var nack = Assert.Single(await Store.NackAsync("q", [Lease(message)], new NackOptions(TimeSpan.FromSeconds(1), "later", false)).WaitAsync(Timeout));
        var immediately = await ReceiveAsync("q", 1);
        var stats = await StatsAsync("q");
        var later = Assert.Single(await ReceiveAsync("q", 1, null, LongWait));

        Assert.True(nack.Succeeded);
        Assert.Empty(immediately);
        Assert.Equal(1, stats.Delayed);
        Assert.Equal(message.Id, later.Id);
        Assert.Equal(2, later.DeliveryCount);
        var record = Assert.Single(later.History);
        Assert.Equal("nack", record.Outcome);
        Assert.Equal("later", record.Reason);
    }

    [Fact]
    public async Task After_max_deliveries_a_message_moves_to_the_dead_letter_queue_with_its_history()
    {
        await CreateAsync("jobs", s => s with { MaxDeliveries = 2 });
        await PublishAsync("jobs", [Text("poison")]);

        var first = Assert.Single(await ReceiveAsync("jobs", 1));
        await Store.NackAsync("jobs", [Lease(first)], new NackOptions(TimeSpan.Zero, "boom", false)).WaitAsync(Timeout);
        Assert.Single(await ReceiveAsync("jobs", 1, OneSecond, LongWait));
        // The second delivery's lease expires: that exhausts maxDeliveries.
        var dead = await WaitForAsync(async () => (await Store.PeekAsync("jobs.dlq", 10)).SingleOrDefault());

        Assert.Equal(first.Id, dead.Id);
        Assert.Equal("poison", Encoding.UTF8.GetString(dead.Body.Span));
        Assert.Equal("jobs", dead.SourceQueue);
        Assert.Equal(2, dead.DeliveryCount);
        Assert.Equal(["nack", "lease_expired"], dead.History.Select(h => h.Outcome));
        Assert.Equal("boom", dead.History[0].Reason);
        Assert.Equal([1, 2], dead.History.Select(h => h.Delivery));
        Assert.Equal(0, (await StatsAsync("jobs")).Depth);
        Assert.Equal(1, (await StatsAsync("jobs")).DeadLetterDepth);
    }

    [Fact]
    public async Task A_reject_moves_the_message_straight_to_the_dead_letter_queue()
    {
        await CreateAsync("jobs");
        await PublishAsync("jobs", [Text("bad")]);
        var message = Assert.Single(await ReceiveAsync("jobs", 1));

        var result = Assert.Single(await Store.NackAsync("jobs", [Lease(message)], new NackOptions(TimeSpan.Zero, "schema mismatch", true)).WaitAsync(Timeout));

        Assert.True(result.Succeeded);
        var dead = Assert.Single(await Store.PeekAsync("jobs.dlq", 10).WaitAsync(Timeout));
        Assert.Equal(message.Id, dead.Id);
        Assert.Equal(1, dead.DeliveryCount);
        Assert.Equal("rejected", Assert.Single(dead.History).Outcome);
        Assert.Equal("schema mismatch", dead.History[0].Reason);
        Assert.Empty(await ReceiveAsync("jobs", 1));
    }

    [Fact]
    public async Task Redrive_moves_dead_letters_back_to_their_source_or_to_a_named_queue()
    {
        await CreateAsync("jobs");
        await CreateAsync("retry");
        await PublishAsync("jobs", [Text("a"), Text("b")]);
        foreach (var message in await ReceiveAsync("jobs", 2))
        {
            await Store.NackAsync("jobs", [Lease(message)], new NackOptions(TimeSpan.Zero, null, true)).WaitAsync(Timeout);
        }
        var dead = await Store.PeekAsync("jobs.dlq", 10).WaitAsync(Timeout);
        Assert.Equal(2, dead.Count);

        var toNamed = await Store.RedriveAsync("jobs.dlq", [dead[1].Id], "retry").WaitAsync(Timeout);
        var toSource = await Store.RedriveAsync("jobs.dlq", null, null).WaitAsync(Timeout);

        Assert.Equal(1, toNamed);
        Assert.Equal(1, toSource);
        Assert.Equal(0, (await StatsAsync("jobs.dlq")).Depth);
        var back = Assert.Single(await ReceiveAsync("jobs", 10));
        Assert.Equal(dead[0].Id, back.Id);
        Assert.Equal(1, back.DeliveryCount);
        Assert.Equal(dead[1].Id, Assert.Single(await ReceiveAsync("retry", 10)).Id);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_within_the_window_returns_the_original_id()
    {
        await CreateAsync("q", s => s with { DedupWindowSeconds = 1 });

        var first = await PublishAsync("q", [Text("x") with { IdempotencyKey = "k1" }]);
        var repeat = await PublishAsync("q", [Text("x") with { IdempotencyKey = "k1" }, Text("y") with { IdempotencyKey = "k2" }]);
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        var afterWindow = await PublishAsync("q", [Text("x") with { IdempotencyKey = "k1" }]);

        Assert.False(first[0].Duplicate);
        Assert.True(repeat[0].Duplicate);
        Assert.Equal(first[0].Id, repeat[0].Id);
        Assert.False(repeat[1].Duplicate);
        Assert.False(afterWindow[0].Duplicate);
        Assert.NotEqual(first[0].Id, afterWindow[0].Id);
        Assert.Equal(3, (await StatsAsync("q")).Depth);
    }

    [Fact]
    public async Task A_delayed_message_is_delivered_only_after_its_delay()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("later") with { Delay = OneSecond }]);

        var early = await ReceiveAsync("q", 1);
        var stats = await StatsAsync("q");
        var due = Assert.Single(await ReceiveAsync("q", 1, null, LongWait));

        Assert.Empty(early);
        Assert.Equal(1, stats.Delayed);
        Assert.Equal(0, stats.Ready);
        Assert.Equal("later", Body(due));
    }

    [Fact]
    public async Task A_message_past_its_ttl_is_never_delivered()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("short") with { TimeToLive = OneSecond }, Text("long")]);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));

        await WaitForAsync(async () => (await StatsAsync("q")).Depth == 1 ? true : (bool?)null);
        var received = await ReceiveAsync("q", 10);

        Assert.Equal(["long"], received.Select(Body));
    }

    [Fact]
    public async Task Higher_priorities_are_served_first()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("low") with { Priority = 1 }, Text("top") with { Priority = 9 }, Text("mid") with { Priority = 5 }, Text("low2") with { Priority = 1 }]);

        var received = await ReceiveAsync("q", 10);

        Assert.Equal(["top", "mid", "low", "low2"], received.Select(Body));
        Assert.Equal([9, 5, 1, 1], received.Select(m => m.Priority));
    }

    [Fact]
    public async Task Fifo_by_group_holds_a_group_while_its_head_is_in_flight_and_lets_other_groups_flow()
    {
        await CreateAsync("q", s => s with { Ordering = QueueOrdering.FifoByGroup });
        await PublishAsync("q", [Text("a1") with { GroupKey = "a" }, Text("a2") with { GroupKey = "a" }, Text("b1") with { GroupKey = "b" }, Text("b2") with { GroupKey = "b" }]);

        var heads = await ReceiveAsync("q", 10);
        Assert.Equal(["a1", "b1"], heads.Select(Body));
        Assert.Empty(await ReceiveAsync("q", 10));

        await AckAsync("q", heads[0]);
        var next = await ReceiveAsync("q", 10);
        Assert.Equal(["a2"], next.Select(Body));
        Assert.Equal("a", next[0].GroupKey);

        await Store.NackAsync("q", [Lease(heads[1])], NackOptions.Now).WaitAsync(Timeout);
        var retried = await ReceiveAsync("q", 10);
        Assert.Equal(["b1"], retried.Select(Body));
    }

    [Fact]
    public async Task A_poison_message_in_flight_or_failing_does_not_block_the_rest_of_its_queue()
    {
        await CreateAsync("q", s => s with { MaxDeliveries = 3 });
        await PublishAsync("q", [Text("poison"), Text("good1"), Text("good2")]);

        var poison = Assert.Single(await ReceiveAsync("q", 1));
        await Store.NackAsync("q", [Lease(poison)], NackOptions.Now).WaitAsync(Timeout);
        var rest = await ReceiveAsync("q", 10);

        Assert.Equal("poison", Body(poison));
        Assert.Contains("good1", rest.Select(Body));
        Assert.Contains("good2", rest.Select(Body));
    }

    [Fact]
    public async Task A_topic_fans_out_by_wildcard_and_header_filter_in_one_commit()
    {
        await Store.CreateTopicAsync("events").WaitAsync(Timeout);
        foreach (var queue in new[] { "one-token", "rest", "eu-only", "payments" })
        {
            await CreateAsync(queue);
        }
        await Store.SubscribeAsync("events", "one-token", "orders.*", new Dictionary<string, string>()).WaitAsync(Timeout);
        await Store.SubscribeAsync("events", "rest", "orders.>", new Dictionary<string, string>()).WaitAsync(Timeout);
        await Store.SubscribeAsync("events", "eu-only", "orders.*", new Dictionary<string, string> { ["region"] = "eu" }).WaitAsync(Timeout);
        await Store.SubscribeAsync("events", "payments", "payments.>", new Dictionary<string, string>()).WaitAsync(Timeout);

        var created = await Store.PublishToTopicAsync("events", "orders.created",
            [Text("c") with { Headers = new Dictionary<string, string> { ["region"] = "eu" } }]).WaitAsync(Timeout);
        var nested = await Store.PublishToTopicAsync("events", "orders.eu.created", [Text("n")]).WaitAsync(Timeout);
        var usOrder = await Store.PublishToTopicAsync("events", "orders.created",
            [Text("u") with { Headers = new Dictionary<string, string> { ["region"] = "us" } }]).WaitAsync(Timeout);

        Assert.Equal(["eu-only", "one-token", "rest"], created[0].Deliveries.Select(d => d.Queue).Order());
        Assert.Equal(["rest"], nested[0].Deliveries.Select(d => d.Queue));
        Assert.Equal(["one-token", "rest"], usOrder[0].Deliveries.Select(d => d.Queue).Order());
        // Every copy is committed before the publish returns: nothing to wait for.
        Assert.Equal(["c", "u"], (await ReceiveAsync("one-token", 10)).Select(Body));
        Assert.Equal(["c", "n", "u"], (await ReceiveAsync("rest", 10)).Select(Body));
        Assert.Equal(["c"], (await ReceiveAsync("eu-only", 10)).Select(Body));
        Assert.Empty(await ReceiveAsync("payments", 10));
        var copy = Assert.Single(await Store.PeekAsync("eu-only", 1).WaitAsync(Timeout));
        Assert.Equal("eu", copy.Headers["region"]);
    }

    [Fact]
    public async Task A_topic_publish_with_a_repeated_idempotency_key_copies_nothing_new()
    {
        await Store.CreateTopicAsync("events").WaitAsync(Timeout);
        await CreateAsync("all");
        await Store.SubscribeAsync("events", "all", ">", new Dictionary<string, string>()).WaitAsync(Timeout);

        var first = await Store.PublishToTopicAsync("events", "a.b", [Text("x") with { IdempotencyKey = "once" }]).WaitAsync(Timeout);
        var second = await Store.PublishToTopicAsync("events", "a.b", [Text("x") with { IdempotencyKey = "once" }]).WaitAsync(Timeout);

        Assert.False(first[0].Duplicate);
        Assert.True(second[0].Duplicate);
        Assert.Equal(first[0].Id, second[0].Id);
        Assert.Empty(second[0].Deliveries);
        Assert.Equal(1, (await StatsAsync("all")).Depth);
    }

    [Fact]
    public async Task Subscriptions_can_be_listed_and_deleted_and_a_deleted_topic_is_gone()
    {
        await Store.CreateTopicAsync("events").WaitAsync(Timeout);
        await CreateAsync("q");
        var subscription = await Store.SubscribeAsync("events", "q", "a.*", new Dictionary<string, string>()).WaitAsync(Timeout);

        Assert.Equal(subscription.Id, Assert.Single(await Store.ListSubscriptionsAsync("events").WaitAsync(Timeout)).Id);
        await Store.DeleteSubscriptionAsync("events", subscription.Id).WaitAsync(Timeout);
        Assert.Empty(await Store.ListSubscriptionsAsync("events").WaitAsync(Timeout));
        var missing = await Assert.ThrowsAsync<SwitchboardException>(() => Store.DeleteSubscriptionAsync("events", subscription.Id).WaitAsync(Timeout));
        Assert.Equal(ErrorCodes.SubscriptionNotFound, missing.Error);

        await Store.DeleteTopicAsync("events").WaitAsync(Timeout);
        Assert.Null(await Store.GetTopicAsync("events").WaitAsync(Timeout));
        var gone = await Assert.ThrowsAsync<SwitchboardException>(() => Store.PublishToTopicAsync("events", "a.b", [Text("x")]).WaitAsync(Timeout));
        Assert.Equal(ErrorCodes.TopicNotFound, gone.Error);
    }

    [Fact]
    public async Task Purge_removes_every_message_and_fences_leases_in_flight()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("a"), Text("b"), Text("c")]);
        var inFlight = Assert.Single(await ReceiveAsync("q", 1));

        var purged = await Store.PurgeAsync("q").WaitAsync(Timeout);
        var ack = Assert.Single(await Store.AckAsync("q", [Lease(inFlight)]).WaitAsync(Timeout));

        Assert.Equal(3, purged);
        Assert.Equal(ErrorCodes.LeaseExpired, ack.Error);
        Assert.Equal(0, (await StatsAsync("q")).Depth);
        Assert.Empty(await ReceiveAsync("q", 10));
    }

    [Fact]
    public async Task Publishing_beyond_max_length_is_refused_and_stores_nothing()
    {
        await CreateAsync("q", s => s with { MaxLength = 2 });
        await PublishAsync("q", [Text("a")]);

        var batch = await Assert.ThrowsAsync<SwitchboardException>(() => Store.PublishAsync("q", [Text("b"), Text("c")]).WaitAsync(Timeout));
        await PublishAsync("q", [Text("b")]);
        var single = await Assert.ThrowsAsync<SwitchboardException>(() => Store.PublishAsync("q", [Text("c")]).WaitAsync(Timeout));

        Assert.Equal(ErrorCodes.QueueFull, batch.Error);
        Assert.Equal(ErrorCodes.QueueFull, single.Error);
        Assert.Equal(2, (await StatsAsync("q")).Depth);
    }

    [Fact]
    public async Task Stats_count_ready_in_flight_delayed_and_dead_letters()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("ready1"), Text("ready2"), Text("flight"), Text("dead"), Text("delayed") with { Delay = TimeSpan.FromMinutes(5) }]);
        var received = await ReceiveAsync("q", 2);
        await Store.NackAsync("q", [Lease(received[1])], new NackOptions(TimeSpan.Zero, null, true)).WaitAsync(Timeout);

        var stats = await StatsAsync("q");
        var all = await Store.ListQueuesAsync().WaitAsync(Timeout);

        Assert.Equal("q", stats.Name);
        Assert.Equal(4, stats.Depth);
        Assert.Equal(2, stats.Ready);
        Assert.Equal(1, stats.InFlight);
        Assert.Equal(1, stats.Delayed);
        Assert.Equal(1, stats.DeadLetterDepth);
        Assert.NotNull(stats.OldestAgeSeconds);
        Assert.True(stats.OldestAgeSeconds >= 0);
        Assert.Equal(0, (await StatsAsync("q.dlq")).DeadLetterDepth);
        Assert.Equal(["q", "q.dlq"], all.Select(q => q.Name));
    }

    [Fact]
    public async Task Unacked_messages_are_delivered_again_after_a_restart_and_acked_ones_are_gone()
    {
        await CreateAsync("q", s => s with { MaxDeliveries = 7 });
        await Store.CreateTopicAsync("events").WaitAsync(Timeout);
        await Store.SubscribeAsync("events", "q", "x.>", new Dictionary<string, string>()).WaitAsync(Timeout);
        await PublishAsync("q", [Text("acked"), Text("leased"), Text("never-received") with { Headers = new Dictionary<string, string> { ["h"] = "v" } }]);
        // A short lease: an engine that keeps leases across restarts hands the message out again once it expires.
        var received = await ReceiveAsync("q", 2, OneSecond);
        await AckAsync("q", received[0]);

        Store = await ReopenAsync().WaitAsync(Timeout);

        var queue = await Store.GetQueueAsync("q").WaitAsync(Timeout);
        Assert.Equal(7, queue!.Settings.MaxDeliveries);
        Assert.Single(await Store.ListSubscriptionsAsync("events").WaitAsync(Timeout));
        var again = new List<BrokerMessage>();
        var deadline = DateTime.UtcNow + LongWait;
        while (again.Count < 2 && DateTime.UtcNow < deadline)
        {
            again.AddRange(await ReceiveAsync("q", 10, TimeSpan.FromSeconds(30), OneSecond));
        }
        Assert.Equal(["leased", "never-received"], again.Select(Body).Order());
        Assert.Equal("v", again.Single(m => Body(m) == "never-received").Headers["h"]);
        Assert.Equal(ErrorCodes.LeaseExpired, Assert.Single(await Store.AckAsync("q", [Lease(received[1])]).WaitAsync(Timeout)).Error);
        Assert.All(await Store.AckAsync("q", again.Select(Lease).ToArray()).WaitAsync(Timeout), r => Assert.True(r.Succeeded));
        var published = await PublishAsync("q", [Text("after")]);
        Assert.Equal(published[0].Id, Assert.Single(await ReceiveAsync("q", 10)).Id);
    }

    [Fact]
    public async Task A_long_poll_wakes_when_a_message_is_published()
    {
        await CreateAsync("q");

        var waiting = Store.ReceiveAsync("q", 1, null, TimeSpan.FromSeconds(20));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await PublishAsync("q", [Text("wake")]);
        // Well inside the 20 s wait; a poll that only woke at the end would fail here.
        var received = await waiting.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("wake", Body(Assert.Single(received)));
    }

    [Fact]
    public async Task Queue_management_refuses_duplicates_and_non_empty_deletes_and_reports_unknown_queues()
    {
        await CreateAsync("q");
        await PublishAsync("q", [Text("x")]);

        var duplicate = await Assert.ThrowsAsync<SwitchboardException>(() => Store.CreateQueueAsync("q", QueueSettings.Default("q")).WaitAsync(Timeout));
        var notEmpty = await Assert.ThrowsAsync<SwitchboardException>(() => Store.DeleteQueueAsync("q", force: false).WaitAsync(Timeout));
        var updated = await Store.UpdateQueueAsync("q", QueueSettings.Default("q") with { LeaseSeconds = 5 }).WaitAsync(Timeout);
        await Store.DeleteQueueAsync("q", force: true).WaitAsync(Timeout);
        var unknown = await Assert.ThrowsAsync<SwitchboardException>(() => Store.ReceiveAsync("q", 1, null, TimeSpan.Zero).WaitAsync(Timeout));

        Assert.Equal(ErrorCodes.QueueExists, duplicate.Error);
        Assert.Equal(ErrorCodes.QueueNotEmpty, notEmpty.Error);
        Assert.Equal(5, updated.Settings.LeaseSeconds);
        Assert.Equal(ErrorCodes.QueueNotFound, unknown.Error);
        Assert.Null(await Store.GetQueueAsync("q").WaitAsync(Timeout));
        Assert.NotNull(await Store.GetQueueAsync("q.dlq").WaitAsync(Timeout));
    }

    [Fact]
    public async Task Deleting_one_message_removes_it_and_fences_its_lease()
    {
        await CreateAsync("q");
        var published = await PublishAsync("q", [Text("a"), Text("b")]);
        var inFlight = Assert.Single(await ReceiveAsync("q", 1));

        Assert.True(await Store.DeleteMessageAsync("q", published[0].Id).WaitAsync(Timeout));
        Assert.False(await Store.DeleteMessageAsync("q", published[0].Id).WaitAsync(Timeout));
        Assert.True(await Store.DeleteMessageAsync("q", published[1].Id).WaitAsync(Timeout));

        Assert.Equal(ErrorCodes.LeaseExpired, Assert.Single(await Store.AckAsync("q", [Lease(inFlight)]).WaitAsync(Timeout)).Error);
        Assert.Equal(0, (await StatsAsync("q")).Depth);
    }

    [Fact]
    public async Task Binary_bodies_and_their_encoding_survive_byte_for_byte()
    {
        await CreateAsync("q");
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await PublishAsync("q", [new OutgoingMessage(bytes) { Encoding = BodyEncoding.Base64 }]);

        var message = Assert.Single(await ReceiveAsync("q", 1));

        Assert.Equal(bytes, message.Body.ToArray());
        Assert.Equal(BodyEncoding.Base64, message.Encoding);
    }

    [Fact]
    public async Task The_system_events_topic_exists_from_the_first_start()
    {
        var topic = await Store.GetTopicAsync(SystemEvents.Topic).WaitAsync(Timeout);

        Assert.NotNull(topic);
    }

    [Fact]
    public async Task Outbox_entries_commit_with_the_write_that_carries_them()
    {
        await CreateAsync("jobs");
        await CreateAsync("room-events");
        await Store.SubscribeAsync(SystemEvents.Topic, "room-events", "room.*", new Dictionary<string, string>()).WaitAsync(Timeout);

        await CommitWithOutboxAsync(
        [
            OutboxEntry.ToQueue("jobs", Text("job 1")),
            OutboxEntry.ToQueue("jobs", Text("job 2")),
            SystemEvents.Create(SystemEvents.RoomCreated, new { name = "lobby" }, DateTimeOffset.UtcNow),
            SystemEvents.Create(SystemEvents.MessageSent, new { seq = 1 }, DateTimeOffset.UtcNow),
        ], fail: false).WaitAsync(Timeout);

        Assert.Equal(["job 1", "job 2"], (await ReceiveAsync("jobs", 10, wait: LongWait)).Select(Body));
        var evt = Assert.Single(await ReceiveAsync("room-events", 10, wait: LongWait));
        Assert.Contains("\"event\":\"room.created\"", Body(evt), StringComparison.Ordinal);
        Assert.Equal(SystemEvents.RoomCreated, evt.Headers["event"]);
    }

    [Fact]
    public async Task Outbox_entries_vanish_with_a_write_that_rolls_back_and_hold_no_room()
    {
        await CreateAsync("bounded", s => s with { MaxLength = 1 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => CommitWithOutboxAsync([OutboxEntry.ToQueue("bounded", Text("lost"))], fail: true).WaitAsync(Timeout));
        await CommitWithOutboxAsync([OutboxEntry.ToQueue("bounded", Text("kept"))], fail: false).WaitAsync(Timeout);

        Assert.Equal(["kept"], (await ReceiveAsync("bounded", 10, wait: LongWait)).Select(Body));
        Assert.Equal(1, (await StatsAsync("bounded")).Depth);
    }

    [Fact]
    public async Task An_outbox_entry_for_a_missing_queue_fails_the_whole_write()
    {
        var error = await Assert.ThrowsAsync<SwitchboardException>(() => CommitWithOutboxAsync([OutboxEntry.ToQueue("nowhere", Text("x"))], fail: false).WaitAsync(Timeout));

        Assert.Equal(ErrorCodes.QueueNotFound, error.Error);
    }

    protected async Task CreateAsync(string name, Func<QueueSettings, QueueSettings>? change = null)
    {
        var settings = QueueSettings.Default(name);
        await Store.CreateQueueAsync(name, change is null ? settings : change(settings)).WaitAsync(Timeout);
    }

    protected static OutgoingMessage Text(string body) => new(Encoding.UTF8.GetBytes(body));

    protected static string Body(BrokerMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    protected static LeaseToken Lease(BrokerMessage message)
    {
        Assert.True(LeaseToken.TryParse(message.Lease, out var token));
        return token.Value;
    }

    protected async Task<IReadOnlyList<PublishResult>> PublishAsync(string queue, IReadOnlyList<OutgoingMessage> messages) =>
        await Store.PublishAsync(queue, messages).WaitAsync(Timeout);

    protected async Task<IReadOnlyList<BrokerMessage>> ReceiveAsync(string queue, int max, TimeSpan? lease = null, TimeSpan? wait = null) =>
        await Store.ReceiveAsync(queue, max, lease, wait ?? TimeSpan.Zero).WaitAsync(Timeout);

    protected async Task AckAsync(string queue, BrokerMessage message) =>
        Assert.True(Assert.Single(await Store.AckAsync(queue, [Lease(message)]).WaitAsync(Timeout)).Succeeded);

    protected async Task<QueueStats> StatsAsync(string queue) => await Store.GetStatsAsync(queue).WaitAsync(Timeout);

    /// <summary>Polls until <paramref name="probe"/> gives a value, for state the engine reaches in the background.</summary>
    protected static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var value = await probe().WaitAsync(Timeout);
            if (value is not null)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The expected state was not reached in time.");
            }
            await Task.Delay(50);
        }
    }
}
