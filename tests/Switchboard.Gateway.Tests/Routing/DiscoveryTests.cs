using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Cluster;
using Switchboard.Postgres;
using Switchboard.Postgres.Cluster;
using Switchboard.Gateway.Tests.Infrastructure;
using Switchboard.Testing;

namespace Switchboard.Gateway.Tests.Routing;

/// <summary>The gateway follows the node registry in a real PostgreSQL database, as nodes write it.</summary>
public sealed class DiscoveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    private PostgresDatabase _database = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.NewDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_connectionString, NullLoggerFactory.Instance).WaitAsync(Timeout);
    }

    private Task<RunningGateway> StartGatewayAsync() => RunningGateway.StartAsync(new Dictionary<string, string?>
    {
        ["Storage:Postgres:ConnectionString"] = _connectionString,
        ["Gateway:Discovery:PollInterval"] = "00:00:00.2",
        ["Gateway:Discovery:StaleAfter"] = "00:00:01.5",
    });

    [Fact]
    public async Task Registered_nodes_enter_rotation_and_a_draining_or_silent_one_leaves_it()
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        var registry = new PostgresNodeRegistry(_database);
        await registry.HeartbeatAsync("node-a", a.Url, NodeState.Active).WaitAsync(Timeout);
        await registry.HeartbeatAsync("node-b", b.Url, NodeState.Active).WaitAsync(Timeout);
        await using var gateway = await StartGatewayAsync();
        using var beating = new CancellationTokenSource();
        var beatB = true;
        var heartbeats = Task.Run(async () =>
        {
            while (!beating.IsCancellationRequested)
            {
                if (beatB)
                {
                    await registry.HeartbeatAsync("node-b", b.Url, NodeState.Active);
                }
                await Task.Delay(200);
            }
        });

        await gateway.WaitForAvailableAsync(d => d.Count == 2, "both registered nodes");
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.GetAsync("/x").WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var shares = (a.Count, b.Count);

        // a says it is draining (as a node does on a graceful stop): it leaves at the next read.
        await registry.HeartbeatAsync("node-a", a.Url, NodeState.Draining).WaitAsync(Timeout);
        await gateway.WaitForAvailableAsync(d => d.SequenceEqual([b.Url]), "a to leave while draining");
        // b stops beating (as a killed node does): it leaves once its heartbeat is older than StaleAfter.
        beatB = false;
        await gateway.WaitForAvailableAsync(d => d.Count == 0, "b to age out");
        using var ready = await gateway.Client.GetAsync("/readyz").WaitAsync(Timeout);
        // And a node that comes back is in rotation again.
        await registry.HeartbeatAsync("node-a", a.Url, NodeState.Active).WaitAsync(Timeout);
        await gateway.WaitForAvailableAsync(d => d.SequenceEqual([a.Url]), "a back");

        await beating.CancelAsync();
        await heartbeats.WaitAsync(Timeout);
        Assert.Equal((2, 2), shares);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Static_destinations_are_used_alongside_the_discovered_ones()
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        await new PostgresNodeRegistry(_database).HeartbeatAsync("node-a", a.Url, NodeState.Active).WaitAsync(Timeout);
        await using var gateway = await RunningGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Discovery:ConnectionString"] = _connectionString,
            ["Gateway:Discovery:PollInterval"] = "00:00:00.2",
            ["Gateway:Destinations:0"] = b.Url,
            // The same node written by hand as well is one destination, not two.
            ["Gateway:Destinations:1"] = a.Url + "/",
        });

        await gateway.WaitForAvailableAsync(d => d.SequenceEqual(new[] { a.Url, b.Url }.Order(StringComparer.Ordinal)), "a discovered and b configured");
        var view = await gateway.DestinationsAsync();

        Assert.Equal("node-a", Assert.Single(view.GetProperty("discovery").GetProperty("nodes").EnumerateArray()).GetProperty("id").GetString());
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();
}
