using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Monitoring;

/// <summary>Each kind of monitor, declared in configuration, against real targets on loopback.</summary>
public sealed class MonitorKindsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Tcp_dns_heartbeat_and_internal_monitors_report_up_and_down_from_their_targets()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var closed = new TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:AllowedHosts:0"] = "127.0.0.1",
            ["Monitoring:Monitors:tcp-open:Kind"] = "tcp",
            ["Monitoring:Monitors:tcp-open:Host"] = "127.0.0.1",
            ["Monitoring:Monitors:tcp-open:Port"] = upstream.HealthUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitoring:Monitors:tcp-open:IntervalSeconds"] = "1",
            ["Monitoring:Monitors:tcp-closed:Kind"] = "tcp",
            ["Monitoring:Monitors:tcp-closed:Host"] = "127.0.0.1",
            ["Monitoring:Monitors:tcp-closed:Port"] = closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitoring:Monitors:tcp-closed:IntervalSeconds"] = "1",
            ["Monitoring:Monitors:tcp-private:Kind"] = "tcp",
            ["Monitoring:Monitors:tcp-private:Host"] = "10.255.255.1",
            ["Monitoring:Monitors:tcp-private:Port"] = "80",
            ["Monitoring:Monitors:tcp-private:IntervalSeconds"] = "1",
            ["Monitoring:Monitors:dns:Kind"] = "dns",
            ["Monitoring:Monitors:dns:Host"] = "localhost",
            ["Monitoring:Monitors:dns:IntervalSeconds"] = "1",
            ["Monitoring:Monitors:cron-job:Kind"] = "heartbeat",
            ["Monitoring:Monitors:cron-job:GraceSeconds"] = "2",
            ["Monitoring:Monitors:cron-job:IntervalSeconds"] = "1",
            ["Monitoring:Monitors:backlog:Kind"] = "internal",
            ["Monitoring:Monitors:backlog:Queue"] = "jobs",
            ["Monitoring:Monitors:backlog:Metric"] = "queue_depth",
            ["Monitoring:Monitors:backlog:Max"] = "0",
            ["Monitoring:Monitors:backlog:IntervalSeconds"] = "1",
        });
        using var client = server.CreateClient(await server.LoginAsync());
        using (var created = await client.PostAsJsonAsync("v1/queues", new { name = "jobs" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await WaitStatusAsync(client, "tcp-open", "up");
        await WaitStatusAsync(client, "dns", "up");
        await WaitStatusAsync(client, "backlog", "up");
        var refused = await WaitStatusAsync(client, "tcp-private", "down");
        Assert.Contains("Channels:AllowedHosts", refused.GetProperty("state").GetProperty("lastError").GetString());
        await WaitStatusAsync(client, "tcp-closed", "down");

        using (var published = await client.PostAsJsonAsync("v1/queues/jobs/messages", new { body = "work" }))
        {
            Assert.True(published.IsSuccessStatusCode);
        }
        var backlog = await WaitStatusAsync(client, "backlog", "down");
        Assert.Contains("queue_depth of 'jobs' is 1, above 0", backlog.GetProperty("state").GetProperty("lastError").GetString());

        // No beat within 2 s: down; a beat brings it back.
        await WaitStatusAsync(client, "cron-job", "down");
        using (var beat = await client.PostAsync("v1/monitors/cron-job/heartbeat", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, beat.StatusCode);
        }
        await WaitStatusAsync(client, "cron-job", "up");

        // Declared in configuration: read-only over the API.
        using var delete = await client.DeleteAsync("v1/monitors/dns");
        await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.Conflict, "declared_in_configuration");
        using var wrongKind = await client.PostAsync("v1/monitors/dns/heartbeat", null);
        await ProblemAssert.IsProblemAsync(wrongKind, HttpStatusCode.Conflict, "not_a_heartbeat_monitor");
    }

    private static async Task<JsonElement> WaitStatusAsync(HttpClient client, string id, string status)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var monitor = await client.GetFromJsonAsync<JsonElement>($"v1/monitors/{id}").WaitAsync(Timeout);
            if (monitor.GetProperty("state").GetProperty("status").GetString() == status)
            {
                return monitor;
            }
            Assert.False(timeout.IsCancellationRequested, $"Monitor {id} never became {status}: {monitor}");
            await Task.Delay(100);
        }
    }
}
