using Switchboard.Cluster;

namespace Switchboard.Engine.Tests.Cluster;

/// <summary>What every engine's <see cref="INodeRegistry"/> must do. Subclassed once per engine; each test gets a fresh database.</summary>
public abstract class NodeRegistryConformance : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private INodeRegistry? _registry;

    protected INodeRegistry Registry => _registry!;

    protected abstract Task<INodeRegistry> OpenRegistryAsync();

    public async Task InitializeAsync() => _registry = await OpenRegistryAsync().WaitAsync(Timeout);

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_heartbeat_registers_the_node_and_the_next_one_updates_its_address_and_state()
    {
        await Registry.HeartbeatAsync("node-b", "http://127.0.0.1:9002", NodeState.Active).WaitAsync(Timeout);
        await Registry.HeartbeatAsync("node-a", "http://127.0.0.1:9001", NodeState.Active).WaitAsync(Timeout);
        var first = await Registry.ListLiveAsync(TimeSpan.FromMinutes(1)).WaitAsync(Timeout);

        await Registry.HeartbeatAsync("node-a", "http://127.0.0.1:9011", NodeState.Draining).WaitAsync(Timeout);
        var second = await Registry.ListLiveAsync(TimeSpan.FromMinutes(1)).WaitAsync(Timeout);

        Assert.Equal(["node-a", "node-b"], first.Select(n => n.Id));
        Assert.All(first, n => Assert.Equal(NodeState.Active, n.State));
        var a = Assert.Single(second, n => n.Id == "node-a");
        Assert.Equal("http://127.0.0.1:9011", a.Address);
        Assert.Equal(NodeState.Draining, a.State);
        Assert.Equal(first[0].StartedAt, a.StartedAt);
        Assert.True(a.HeartbeatAt >= first[0].HeartbeatAt);
    }

    [Fact]
    public async Task A_node_whose_heartbeat_is_older_than_the_limit_is_not_listed()
    {
        await Registry.HeartbeatAsync("node-a", "http://127.0.0.1:9001", NodeState.Active).WaitAsync(Timeout);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await Registry.HeartbeatAsync("node-b", "http://127.0.0.1:9002", NodeState.Active).WaitAsync(Timeout);

        var live = await Registry.ListLiveAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(Timeout);

        Assert.Equal("node-b", Assert.Single(live).Id);
    }

    [Fact]
    public async Task A_removed_node_is_gone_and_removing_an_unknown_one_is_harmless()
    {
        await Registry.HeartbeatAsync("node-a", "http://127.0.0.1:9001", NodeState.Active).WaitAsync(Timeout);

        await Registry.RemoveAsync("node-a").WaitAsync(Timeout);
        await Registry.RemoveAsync("never-registered").WaitAsync(Timeout);

        Assert.Empty(await Registry.ListLiveAsync(TimeSpan.FromMinutes(1)).WaitAsync(Timeout));
    }
}
