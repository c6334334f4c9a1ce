using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Broker;

public sealed class BrokerStatsTests
{
    [Fact]
    public async Task Queue_stats_carry_totals_and_rates_and_the_server_stats_add_uptime_and_process_figures()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient(await server.LoginAsync());
        await PrepareAsync(client, "stats-q", publish: 10, ack: 4);

        using var queue = JsonDocument.Parse(await client.GetStringAsync("v1/queues/stats-q/stats"));
        using var system = JsonDocument.Parse(await client.GetStringAsync("v1/stats"));

        var q = queue.RootElement;
        Assert.Equal(6, q.GetProperty("depth").GetInt64());
        Assert.Equal(10, q.GetProperty("totals").GetProperty("published").GetDouble());
        Assert.Equal(4, q.GetProperty("totals").GetProperty("acked").GetDouble());
        Assert.Equal(10, q.GetProperty("totals").GetProperty("delivered").GetDouble());
        Assert.True(q.GetProperty("rates").GetProperty("published").GetDouble() > 0);
        Assert.True(q.GetProperty("rates").GetProperty("acked").GetDouble() > 0);

        var s = system.RootElement;
        Assert.True(s.GetProperty("uptimeSeconds").GetDouble() >= 0);
        Assert.True(s.GetProperty("totals").GetProperty("published").GetDouble() >= 10);
        Assert.True(s.GetProperty("process").GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(s.GetProperty("process").GetProperty("threads").GetInt32() > 0);
        Assert.Contains(s.GetProperty("perQueue").EnumerateArray(), e => e.GetProperty("name").GetString() == "stats-q");
    }

    private static async Task PrepareAsync(HttpClient client, string name, int publish, int ack)
    {
        using var created = await client.PostAsJsonAsync("v1/queues", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var published = await client.PostAsJsonAsync($"v1/queues/{name}/messages",
            new { messages = Enumerable.Range(0, publish).Select(i => new { body = $"m{i}" }).ToArray() });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        using var received = await client.PostAsJsonAsync($"v1/queues/{name}/receive", new { max = publish, leaseSeconds = 300 });
        using var body = JsonDocument.Parse(await received.Content.ReadAsStringAsync());
        var leases = body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("lease").GetString()).Take(ack).ToArray();
        Assert.Equal(publish, body.RootElement.GetProperty("messages").GetArrayLength());
        if (ack > 0)
        {
            using var acked = await client.PostAsJsonAsync($"v1/queues/{name}/ack", new { leases });
            Assert.Equal(HttpStatusCode.OK, acked.StatusCode);
        }
    }
}
