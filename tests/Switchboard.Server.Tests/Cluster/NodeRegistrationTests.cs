using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Cluster;
using Switchboard.Postgres;
using Switchboard.Postgres.Cluster;
using Switchboard.Server.Cluster;
using Switchboard.Server.Tests.Infrastructure;
using Switchboard.Testing;

namespace Switchboard.Server.Tests.Cluster;

public sealed class NodeRegistrationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_node_on_postgres_registers_its_address_and_on_a_graceful_stop_drains_before_it_leaves()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync();
        await using var database = await PostgresDatabase.OpenAsync(connectionString, NullLoggerFactory.Instance).WaitAsync(Timeout);
        var registry = new PostgresNodeRegistry(database);
        var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Engine"] = "postgres",
            ["Storage:Postgres:ConnectionString"] = connectionString,
            ["Cluster:NodeId"] = "node-x",
            ["Cluster:HeartbeatInterval"] = "00:00:00.2",
            ["Cluster:DrainDelay"] = "00:00:02",
        });
        using var client = server.CreateClient();

        var registered = await WaitForAsync(registry, nodes => nodes.Any(n => n.Id == "node-x"));
        var stopping = server.DisposeAsync().AsTask();
        var draining = await WaitForAsync(registry, nodes => nodes.Any(n => n.Id == "node-x" && n.State == NodeState.Draining));
        // Still serving while it drains, but no longer ready, so probes take it out too.
        using var ready = await client.GetAsync("readyz").WaitAsync(Timeout);
        await stopping.WaitAsync(Timeout);
        var after = await registry.ListLiveAsync(TimeSpan.FromMinutes(1)).WaitAsync(Timeout);

        var node = Assert.Single(registered);
        Assert.Equal(server.BaseAddress.ToString().TrimEnd('/'), node.Address);
        Assert.Equal(NodeState.Active, node.State);
        Assert.Single(draining);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("cluster:node", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(after);
    }

    [Fact]
    public async Task A_node_on_sqlite_does_not_register_unless_asked()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.Null(server.Services.GetService<NodeHeartbeat>());
    }

    [Fact]
    public async Task Forwarded_headers_are_believed_only_from_a_trusted_proxy()
    {
        await using var trusting = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Http:TrustedProxies:0"] = "127.0.0.1" });
        await using var other = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Http:TrustedProxies:0"] = "10.0.0.0/8" });
        await using var plain = await RunningServer.StartAsync();

        var seen = new List<string?>();
        foreach (var server in new[] { trusting, other, plain })
        {
            using var client = server.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "readyz");
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var response = await client.SendAsync(request).WaitAsync(Timeout);
            // The security headers middleware sets HSTS only on HTTPS requests: it shows which scheme the node believed.
            seen.Add(response.Headers.Contains("Strict-Transport-Security") ? "https" : "http");
        }

        Assert.Equal(["https", "http", "http"], seen);
    }

    [Fact]
    public void Cluster_options_name_the_wrong_key()
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions
        {
            AdvertiseUrl = "10.0.0.5:8080",
            NodeId = "has space",
            HeartbeatInterval = TimeSpan.Zero,
            DrainDelay = TimeSpan.FromHours(1),
        });

        Assert.Equal(["Cluster:AdvertiseUrl", "Cluster:NodeId", "Cluster:HeartbeatInterval", "Cluster:DrainDelay"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    private static async Task<IReadOnlyList<ClusterNode>> WaitForAsync(INodeRegistry registry, Func<IReadOnlyList<ClusterNode>, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var nodes = await registry.ListLiveAsync(TimeSpan.FromMinutes(1)).WaitAsync(Timeout);
            if (condition(nodes) || DateTime.UtcNow > deadline)
            {
                Assert.True(condition(nodes), "The registry never reached the expected state.");
                return nodes;
            }
            await Task.Delay(50);
        }
    }
}
