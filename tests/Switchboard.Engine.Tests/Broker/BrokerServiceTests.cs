using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Broker;

namespace Switchboard.Engine.Tests.Broker;

/// <summary>The service's scopes, names and limits, over the real embedded store.</summary>
public sealed class BrokerServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly Caller Admin = new("a", "admin", Roles.Admin, CallerKind.User, ScopeSet.Everything, null);

    private static readonly Caller OrdersClient = new("u", "orders-client", Roles.User, CallerKind.User,
        ScopeSet.Parse(["broker:publish:orders.*", "broker:consume:orders.*"]), null);

    private SqliteDatabase _database = null!;
    private SqliteBrokerStore _store = null!;
    private BrokerService _broker = null!;

    public Task InitializeAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        var options = new BrokerOptions { MaxMessageBytes = 16, MaxBatchMessages = 3, MaxBatchBytes = 32 };
        _store = new SqliteBrokerStore(_database, options, NullLogger<SqliteBrokerStore>.Instance);
        _broker = new BrokerService(_store, new StaticOptions(options), new BrokerMetrics());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_scoped_caller_may_publish_and_consume_where_its_scopes_allow_and_nowhere_else()
    {
        await _broker.CreateQueueAsync(Admin, "orders.eu", null).WaitAsync(Timeout);
        await _broker.CreateQueueAsync(Admin, "payments", null).WaitAsync(Timeout);

        await _broker.PublishAsync(OrdersClient, "orders.eu", [Text("ok")]).WaitAsync(Timeout);
        var received = await _broker.ReceiveAsync(OrdersClient, "orders.eu", 1, 0, null).WaitAsync(Timeout);
        var publish = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.PublishAsync(OrdersClient, "payments", [Text("no")]).WaitAsync(Timeout));
        var create = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.CreateQueueAsync(OrdersClient, "orders.us", null).WaitAsync(Timeout));
        var peek = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.PeekAsync(OrdersClient, "orders.eu", 10).WaitAsync(Timeout));
        var listed = await _broker.ListQueuesAsync(OrdersClient).WaitAsync(Timeout);

        Assert.Single(received);
        Assert.Equal(ErrorCodes.InsufficientScope, publish.Error);
        Assert.Equal("broker:publish:payments", publish.Extensions["requiredScope"]);
        Assert.Equal(ErrorCodes.InsufficientScope, create.Error);
        Assert.Equal(ErrorCodes.InsufficientScope, peek.Error);
        Assert.Equal(["orders.eu"], listed.Select(q => q.Queue.Name));
    }

    [Fact]
    public async Task Only_the_server_itself_may_create_names_under_sys()
    {
        var admin = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.CreateQueueAsync(Admin, "$sys.deliveries", null).WaitAsync(Timeout));
        var created = await _broker.CreateQueueAsync(BrokerService.System, "$sys.deliveries", null).WaitAsync(Timeout);
        var ensured = await _broker.EnsureQueueAsync(BrokerService.System, "$sys.deliveries").WaitAsync(Timeout);
        var topic = await _broker.EnsureTopicAsync(BrokerService.System, "$sys.events").WaitAsync(Timeout);

        Assert.Equal(ErrorCodes.InvalidName, admin.Error);
        Assert.Equal("$sys.deliveries.dlq", created.Settings.DeadLetterQueue);
        Assert.Equal(created.Name, ensured.Name);
        Assert.Equal("$sys.events", topic.Name);
    }

    [Fact]
    public async Task Message_and_batch_limits_are_enforced_before_the_store_is_touched()
    {
        await _broker.CreateQueueAsync(Admin, "q", null).WaitAsync(Timeout);

        var tooLarge = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.PublishAsync(Admin, "q", [Text(new string('x', 17))]).WaitAsync(Timeout));
        var tooMany = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.PublishAsync(Admin, "q", [Text("1"), Text("2"), Text("3"), Text("4")]).WaitAsync(Timeout));
        var tooManyBytes = await Assert.ThrowsAsync<SwitchboardException>(() =>
            _broker.PublishAsync(Admin, "q", [Text(new string('x', 16)), Text(new string('x', 16)), Text("x")]).WaitAsync(Timeout));
        var priority = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.PublishAsync(Admin, "q", [Text("x") with { Priority = 10 }]).WaitAsync(Timeout));
        var max = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.ReceiveAsync(Admin, "q", 0, null, null).WaitAsync(Timeout));

        Assert.Equal(ErrorCodes.MessageTooLarge, tooLarge.Error);
        Assert.Equal(ErrorCodes.BatchTooLarge, tooMany.Error);
        Assert.Equal(ErrorCodes.MessageTooLarge, tooManyBytes.Error);
        Assert.Equal(ErrorCodes.ValidationFailed, priority.Error);
        Assert.Equal(ErrorCodes.ValidationFailed, max.Error);
        Assert.Equal(0, (await _store.GetStatsAsync("q").WaitAsync(Timeout)).Depth);
    }

    [Fact]
    public async Task Queue_settings_merge_on_update_and_zero_clears_a_limit()
    {
        await _broker.CreateQueueAsync(Admin, "q", new QueueSettingsInput { MaxLength = 10, RetentionSeconds = 60 }).WaitAsync(Timeout);

        var updated = await _broker.UpdateQueueAsync(Admin, "q", new QueueSettingsInput { MaxLength = 0, Ordering = QueueOrdering.Fifo }).WaitAsync(Timeout);
        var self = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.UpdateQueueAsync(Admin, "q", new QueueSettingsInput { DeadLetterQueue = "q" }).WaitAsync(Timeout));

        Assert.Null(updated.Settings.MaxLength);
        Assert.Equal(60, updated.Settings.RetentionSeconds);
        Assert.Equal(QueueOrdering.Fifo, updated.Settings.Ordering);
        Assert.Equal(ErrorCodes.ValidationFailed, self.Error);
    }

    [Fact]
    public async Task A_topic_publish_stamps_the_subject_header_and_refuses_wildcard_subjects()
    {
        await _broker.CreateTopicAsync(Admin, "events").WaitAsync(Timeout);
        await _broker.CreateQueueAsync(Admin, "all", null).WaitAsync(Timeout);
        await _broker.SubscribeAsync(Admin, "events", "all", ">", null).WaitAsync(Timeout);

        await _broker.PublishToTopicAsync(Admin, "events", "user.registered", [Text("u1")]).WaitAsync(Timeout);
        var wildcard = await Assert.ThrowsAsync<SwitchboardException>(() => _broker.PublishToTopicAsync(Admin, "events", "user.*", [Text("x")]).WaitAsync(Timeout));
        var message = Assert.Single(await _broker.ReceiveAsync(Admin, "all", 10, 0, null).WaitAsync(Timeout));

        Assert.Equal(ErrorCodes.ValidationFailed, wildcard.Error);
        Assert.Equal("user.registered", message.Headers["$subject"]);
    }

    private static OutgoingMessage Text(string body) => new(Encoding.UTF8.GetBytes(body));

    private sealed class StaticOptions(BrokerOptions value) : IOptionsMonitor<BrokerOptions>
    {
        public BrokerOptions CurrentValue => value;

        public BrokerOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<BrokerOptions, string?> listener) => null;
    }
}
