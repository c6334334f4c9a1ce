using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Monitoring;

/// <summary>The monitors API: validation, conflicts, results, roll-ups, stats and clearing them, and the default rules.</summary>
public sealed class MonitorApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Invalid_monitors_are_refused_naming_each_field_and_a_taken_id_is_a_conflict()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient(await server.LoginAsync());

        using var invalid = await client.PostAsJsonAsync("v1/monitors", new { id = "Bad Id", kind = "http", url = "ftp://x", intervalSeconds = 0, expectedStatuses = new[] { "2xx" } });
        var problem = await ProblemAssert.IsProblemAsync(invalid, HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("id", out _));
        Assert.True(errors.TryGetProperty("url", out _));
        Assert.True(errors.TryGetProperty("intervalSeconds", out _));
        Assert.True(errors.TryGetProperty("expectedStatuses", out _));

        var monitor = new { id = "web", kind = "tcp", host = "127.0.0.1", port = 1, enabled = false };
        using (var created = await client.PostAsJsonAsync("v1/monitors", monitor))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using var again = await client.PostAsJsonAsync("v1/monitors", monitor);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict, "monitor_exists");
        using var replaced = await client.PutAsJsonAsync("v1/monitors/web", monitor with { port = 2 });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var missing = await client.GetAsync("v1/monitors/nope");
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, "monitor_not_found");
        using var badWindow = await client.GetAsync("v1/monitors/web/stats?window=forever");
        await ProblemAssert.IsProblemAsync(badWindow, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Results_stats_and_roll_ups_follow_the_checks_and_clearing_forgets_them_and_default_rules_cover_http_monitors()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Channels:AllowedHosts:0"] = "127.0.0.1" });
        using var client = server.CreateClient(await server.LoginAsync());
        using (var created = await client.PostAsJsonAsync("v1/monitors", new { id = "api", kind = "http", url = upstream.HealthUrl, intervalSeconds = 1, keyword = "ok" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var timeout = new CancellationTokenSource(Timeout);
        JsonElement stats;
        do
        {
            Assert.False(timeout.IsCancellationRequested, "The monitor never reached 3 checks.");
            await Task.Delay(200);
            stats = await client.GetFromJsonAsync<JsonElement>("v1/monitors/api/stats?window=5m").WaitAsync(Timeout);
        }
        while (stats.GetProperty("checks").GetInt32() < 3);
        Assert.Equal(1.0, stats.GetProperty("successRate").GetDouble());
        Assert.Equal(100.0, stats.GetProperty("uptimePercent").GetDouble());
        Assert.True(stats.GetProperty("latencyP99Ms").GetDouble() >= stats.GetProperty("latencyP50Ms").GetDouble());

        var results = await client.GetFromJsonAsync<JsonElement>("v1/monitors/api/results").WaitAsync(Timeout);
        var first = results.GetProperty("results").EnumerateArray().First();
        Assert.True(first.GetProperty("up").GetBoolean());
        Assert.Equal(200, first.GetProperty("statusCode").GetInt32());
        var rollups = await client.GetFromJsonAsync<JsonElement>("v1/monitors/api/results?step=1h&from=2020-01-01T00:00:00Z").WaitAsync(Timeout);
        Assert.Equal("1h", rollups.GetProperty("step").GetString());

        var rules = await client.GetFromJsonAsync<JsonElement>("v1/alert-rules").WaitAsync(Timeout);
        var ids = rules.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToArray();
        Assert.Contains("default-success-rate-warning", ids);
        Assert.Contains("default-error-rate-critical", ids);
        var latency = rules.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "default-latency-critical");
        Assert.Equal(5000, latency.GetProperty("threshold").GetDouble());
        using var deleteDefault = await client.DeleteAsync("v1/alert-rules/default-latency-critical");
        await ProblemAssert.IsProblemAsync(deleteDefault, HttpStatusCode.Conflict, "declared_in_configuration");

        using (var cleared = await client.PostAsync("v1/monitors/api/stats/clear", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        }
        var after = await client.GetFromJsonAsync<JsonElement>("v1/monitors/api/results").WaitAsync(Timeout);
        Assert.True(after.GetProperty("results").GetArrayLength() <= 2, "Clearing forgets the results (a check or two may land since).");

        var status = await client.GetFromJsonAsync<JsonElement>("v1/status").WaitAsync(Timeout);
        Assert.Equal(1, status.GetProperty("monitors").GetProperty("total").GetInt32());
        Assert.Equal("ok", status.GetProperty("storageStatus").GetString());
        Assert.True(status.GetProperty("leadsMonitoring").GetBoolean());
    }
}
