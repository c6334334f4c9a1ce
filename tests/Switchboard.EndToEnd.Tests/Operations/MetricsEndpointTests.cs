using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Client;
using Switchboard.EndToEnd.Tests.Infrastructure;

namespace Switchboard.EndToEnd.Tests.Operations;

/// <summary>
/// /metrics of the real server process, one host per process as in production: the per-queue broker gauges
/// and counters are exported in Prometheus text format, labelled by queue.
/// </summary>
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Prometheus_exposes_per_queue_in_flight_ready_and_dead_letter_gauges()
    {
        var data = Path.Combine(Path.GetTempPath(), "switchboard-e2e", Guid.NewGuid().ToString("n"));
        await using var server = await ServerProcess.StartAsync(data).WaitAsync(Timeout);
        using var login = new SwitchboardClient(server.BaseAddress);
        var token = (await login.LoginAsync("admin", ServerProcess.AdminPassword).WaitAsync(Timeout)).AccessToken;
        using var client = server.CreateClient(token);
        (await client.PostAsJsonAsync("v1/queues", new { name = "gauge-q" }).WaitAsync(Timeout)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("v1/queues/gauge-q/messages",
            new { messages = Enumerable.Range(0, 5).Select(i => new { body = $"m{i}" }).ToArray() }).WaitAsync(Timeout)).EnsureSuccessStatusCode();
        using var received = await client.PostAsJsonAsync("v1/queues/gauge-q/receive", new { max = 5, leaseSeconds = 300 }).WaitAsync(Timeout);
        using var body = JsonDocument.Parse(await received.Content.ReadAsStringAsync());
        Assert.Equal(5, body.RootElement.GetProperty("messages").GetArrayLength());

        // Gauges read a copy of the queue stats each node refreshes every few seconds: wait for a sample showing the leases.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string metrics;
        do
        {
            await Task.Delay(500);
            metrics = await client.GetStringAsync("metrics").WaitAsync(Timeout);
        }
        while (!HasSample(metrics, "switchboard_broker_in_flight", "gauge-q", "5") && DateTime.UtcNow < deadline);

        Assert.True(HasSample(metrics, "switchboard_broker_in_flight", "gauge-q", "5"), metrics);
        Assert.True(HasSample(metrics, "switchboard_broker_ready", "gauge-q", "0"), metrics);
        Assert.True(HasSample(metrics, "switchboard_broker_dead_letter_depth", "gauge-q", "0"), metrics);
        Assert.True(HasSample(metrics, "switchboard_broker_published_total", "gauge-q", "5"), metrics);
    }

    private static bool HasSample(string exposition, string name, string queue, string value) =>
        exposition.Split('\n').Any(line => line.StartsWith(name + "{", StringComparison.Ordinal)
            && line.Contains($"queue=\"{queue}\"", StringComparison.Ordinal)
            && line.Split(' ')[1] == value);
}
