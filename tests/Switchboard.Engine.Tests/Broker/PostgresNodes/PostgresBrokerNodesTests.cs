using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Npgsql;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Postgres.Broker;

namespace Switchboard.Engine.Tests.Broker.PostgresNodes;

/// <summary>
/// Two broker nodes on one PostgreSQL database, each with its own pool and store, as behind the gateway.
/// Every wait is bounded; the one time bound asserted (a cross-node wake-up within a second) is the semantic
/// promise of LISTEN/NOTIFY, far inside the receive's wait and the store's safety re-check.
/// </summary>
public sealed class PostgresBrokerNodesTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WakeUpBound = TimeSpan.FromSeconds(1);

    private string _connectionString = "";
    private BrokerNode _a = null!;
    private BrokerNode _b = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabases.NewPostgresDatabaseAsync().WaitAsync(Timeout);
        _a = await BrokerNode.StartAsync(_connectionString);
        _b = await BrokerNode.StartAsync(_connectionString);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_long_poll_on_one_node_returns_within_a_second_of_a_publish_on_the_other()
    {
        await CreateAsync(_a, "q");

        foreach (var (publisher, receiver) in new[] { (_a, _b), (_b, _a), (_a, _b) })
        {
            await AssertWakesAsync(publisher, receiver, "q");
        }
    }

    [Fact]
    public async Task Competing_consumers_on_two_nodes_never_share_a_message_and_ack_each_exactly_once()
    {
        const int Batches = 10;
        const int BatchSize = 500;
        const int Total = 2 * Batches * BatchSize;
        await CreateAsync(_a, "work", s => s with { LeaseSeconds = 300 });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var published = new ConcurrentDictionary<Guid, byte>();
        var held = new ConcurrentDictionary<Guid, byte>();
        var acked = new ConcurrentDictionary<Guid, byte>();
        var violations = new ConcurrentQueue<string>();

        async Task PublishAsync(BrokerNode node, string name)
        {
            for (var batch = 0; batch < Batches; batch++)
            {
                var messages = Enumerable.Range(0, BatchSize).Select(i => Text($"{name}-{batch}-{i}")).ToArray();
                foreach (var result in await node.Store.PublishAsync("work", messages, deadline.Token))
                {
                    published.TryAdd(result.Id, 0);
                }
            }
        }

        async Task ConsumeAsync(BrokerNode node)
        {
            while (acked.Count < Total)
            {
                var messages = await node.Store.ReceiveAsync("work", 100, null, TimeSpan.FromSeconds(1), deadline.Token);
                foreach (var message in messages)
                {
                    if (!held.TryAdd(message.Id, 0))
                    {
                        violations.Enqueue($"{message.Id} was handed out while another consumer held it.");
                    }
                    if (acked.ContainsKey(message.Id))
                    {
                        violations.Enqueue($"{message.Id} was handed out after it was acknowledged.");
                    }
                }
                if (messages.Count == 0)
                {
                    continue;
                }
                var results = await node.Store.AckAsync("work", messages.Select(Lease).ToArray(), deadline.Token);
                for (var i = 0; i < messages.Count; i++)
                {
                    if (!results[i].Succeeded)
                    {
                        violations.Enqueue($"The ack of {messages[i].Id} failed: {results[i].Error?.Code}.");
                    }
                    else if (!acked.TryAdd(messages[i].Id, 0))
                    {
                        violations.Enqueue($"{messages[i].Id} was acknowledged twice.");
                    }
                    // Only after the row is gone: until then nobody else may receive it.
                    held.TryRemove(messages[i].Id, out _);
                }
            }
        }

        await Task.WhenAll(
            PublishAsync(_a, "a"), PublishAsync(_b, "b"),
            ConsumeAsync(_a), ConsumeAsync(_a), ConsumeAsync(_b), ConsumeAsync(_b)).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Empty(violations);
        Assert.Equal(Total, published.Count);
        Assert.Equal(published.Keys.Order(), acked.Keys.Order());
        Assert.Equal(0, (await _b.Store.GetStatsAsync("work").WaitAsync(Timeout)).Depth);
    }

    [Fact]
    public async Task A_fifo_queue_hands_out_one_message_at_a_time_in_order_across_nodes()
    {
        const int Count = 40;
        await CreateAsync(_a, "fifo", s => s with { Ordering = QueueOrdering.Fifo });
        await _a.Store.PublishAsync("fifo", Enumerable.Range(0, Count).Select(i => Text(i.ToString("D2"))).ToArray()).WaitAsync(Timeout);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var order = new ConcurrentQueue<string>();
        var violations = new ConcurrentQueue<string>();
        var inFlight = 0;

        async Task ConsumeAsync(BrokerNode node)
        {
            while (order.Count < Count)
            {
                var messages = await node.Store.ReceiveAsync("fifo", 10, null, TimeSpan.FromSeconds(1), deadline.Token);
                if (messages.Count == 0)
                {
                    continue;
                }
                if (messages.Count > 1 || Interlocked.Increment(ref inFlight) > 1)
                {
                    violations.Enqueue($"Two messages of a FIFO queue were in flight at once ({string.Join(", ", messages.Select(Body))}).");
                }
                order.Enqueue(Body(messages[0]));
                await Task.Yield();
                // Released before the ack: until the ack commits, no other receiver can get the next head.
                Interlocked.Decrement(ref inFlight);
                Assert.True(Assert.Single(await node.Store.AckAsync("fifo", [Lease(messages[0])], deadline.Token)).Succeeded);
            }
        }

        await Task.WhenAll(ConsumeAsync(_a), ConsumeAsync(_a), ConsumeAsync(_b), ConsumeAsync(_b)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Empty(violations);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => i.ToString("D2")), order);
    }

    [Fact]
    public async Task Only_one_node_sweeps_at_a_time_and_another_takes_over_when_it_stops()
    {
        await WaitUntilAsync(() => Task.FromResult(_a.Store.IsSweeping || _b.Store.IsSweeping));
        for (var i = 0; i < 20; i++)
        {
            Assert.False(_a.Store.IsSweeping && _b.Store.IsSweeping, "Both nodes believe they sweep.");
            Assert.Equal(1L, await CountSweeperLocksAsync());
            await Task.Delay(50);
        }
        var (leader, follower) = _a.Store.IsSweeping ? (_a, _b) : (_b, _a);

        await leader.DisposeAsync();
        await WaitUntilAsync(() => Task.FromResult(follower.Store.IsSweeping));

        Assert.Equal(1L, await CountSweeperLocksAsync());
        // And it really sweeps: a lease that runs out on a message out of deliveries moves it to the dead-letter queue.
        await CreateAsync(follower, "jobs", s => s with { MaxDeliveries = 1 });
        await follower.Store.PublishAsync("jobs", [Text("poison")]).WaitAsync(Timeout);
        Assert.Single(await follower.Store.ReceiveAsync("jobs", 1, TimeSpan.FromSeconds(1), TimeSpan.Zero).WaitAsync(Timeout));
        await WaitUntilAsync(async () => (await follower.Store.GetStatsAsync("jobs")).DeadLetterDepth == 1);
    }

    [Fact]
    public async Task A_node_restarting_while_another_runs_leaves_leases_alone_and_a_lease_settles_on_any_node()
    {
        await CreateAsync(_a, "q");
        await _a.Store.PublishAsync("q", [Text("x")]).WaitAsync(Timeout);
        var leased = Assert.Single(await _a.Store.ReceiveAsync("q", 1, TimeSpan.FromMinutes(5), TimeSpan.Zero).WaitAsync(Timeout));

        await _b.DisposeAsync();
        _b = await BrokerNode.StartAsync(_connectionString);

        Assert.Empty(await _b.Store.ReceiveAsync("q", 1, null, TimeSpan.Zero).WaitAsync(Timeout));
        Assert.True(Assert.Single(await _b.Store.AckAsync("q", [Lease(leased)]).WaitAsync(Timeout)).Succeeded);
        Assert.Equal(0, (await _a.Store.GetStatsAsync("q").WaitAsync(Timeout)).Depth);
    }

    [Fact]
    public async Task A_node_whose_listening_connection_drops_reconnects_and_is_woken_again()
    {
        await CreateAsync(_a, "q");
        var before = _b.Store.ListenerProcessId;
        Assert.NotEqual(0, before);

        await using (var admin = new NpgsqlConnection(_connectionString))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin);
            terminate.Parameters.AddWithValue(before);
            Assert.True((bool)(await terminate.ExecuteScalarAsync().WaitAsync(Timeout))!);
        }
        await WaitUntilAsync(() => Task.FromResult(_b.Store.ListenerProcessId is not 0 && _b.Store.ListenerProcessId != before));

        await AssertWakesAsync(_a, _b, "q");
    }

    private static async Task AssertWakesAsync(BrokerNode publisher, BrokerNode receiver, string queue)
    {
        var waiting = receiver.Store.ReceiveAsync(queue, 1, null, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "The receive returned before anything was published.");

        var clock = Stopwatch.StartNew();
        var published = await publisher.Store.PublishAsync(queue, [Text("wake")]).WaitAsync(Timeout);
        var received = await waiting.WaitAsync(Timeout);
        clock.Stop();

        var message = Assert.Single(received);
        Assert.Equal(published[0].Id, message.Id);
        Assert.True(clock.Elapsed < WakeUpBound, $"The receive on the other node returned {clock.Elapsed} after the publish began.");
        Assert.True(Assert.Single(await receiver.Store.AckAsync(queue, [Lease(message)]).WaitAsync(Timeout)).Succeeded);
    }

    private async Task<long> CountSweeperLocksAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, connection);
        command.Parameters.AddWithValue((long)PostgresBrokerStore.NodeLockClass);
        command.Parameters.AddWithValue((long)PostgresBrokerStore.SweeperLockId);
        return (long)(await command.ExecuteScalarAsync().WaitAsync(Timeout))!;
    }

    private static async Task CreateAsync(BrokerNode node, string name, Func<QueueSettings, QueueSettings>? change = null)
    {
        var settings = QueueSettings.Default(name);
        await node.Store.CreateQueueAsync(name, change is null ? settings : change(settings)).WaitAsync(Timeout);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().WaitAsync(Timeout))
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException("The expected state was not reached in time.");
            }
            await Task.Delay(50);
        }
    }

    private static OutgoingMessage Text(string body) => new(Encoding.UTF8.GetBytes(body));

    private static string Body(BrokerMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    private static LeaseToken Lease(BrokerMessage message)
    {
        Assert.True(LeaseToken.TryParse(message.Lease, out var token));
        return token.Value;
    }
}
