using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.EndToEnd.Tests.Infrastructure;

namespace Switchboard.EndToEnd.Tests.Monitoring;

/// <summary>
/// Firing and resolution survive the evaluating node's death on the real binary: the server is stopped (SIGTERM) or
/// killed (SIGKILL) as soon as an incident has fired, and again as soon as it has resolved, each time before or while
/// its notification goes out. The provider still receives exactly one "firing" and one "resolved" notification: one
/// notification each, whose delivery the pipeline may repeat after a SIGKILL mid-call, always with the same
/// idempotency key, so a provider that honours the key shows it once.
/// </summary>
public sealed class IncidentRestartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stopped_or_killed_evaluator_sends_exactly_one_firing_and_one_resolved_notification(bool kill)
    {
        await using var upstream = RecordingEndpoint.Start();
        await using var provider = RecordingEndpoint.Start();
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-e2e", Guid.NewGuid().ToString("n"));
        await using var server = await ServerProcess.StartAsync(folder, new Dictionary<string, string>
        {
            ["SWITCHBOARD_Channels__AllowedHosts__0"] = "127.0.0.1",
            ["SWITCHBOARD_Channels__Instances__hook__Type"] = "webhook",
            ["SWITCHBOARD_Channels__Instances__hook__WebhookUrl"] = provider.Url.ToString(),
            ["SWITCHBOARD_Monitoring__EvaluationInterval"] = "00:00:00.200",
            ["SWITCHBOARD_Monitoring__DefaultRules__Enabled"] = "false",
            ["SWITCHBOARD_Monitoring__Monitors__api__Kind"] = "http",
            ["SWITCHBOARD_Monitoring__Monitors__api__Name"] = "Payments API",
            ["SWITCHBOARD_Monitoring__Monitors__api__Url"] = upstream.Url + "health",
            ["SWITCHBOARD_Monitoring__Monitors__api__IntervalSeconds"] = "1",
            ["SWITCHBOARD_Monitoring__Rules__api-down__Signal"] = "monitor_down",
            ["SWITCHBOARD_Monitoring__Rules__api-down__Operator"] = "==",
            ["SWITCHBOARD_Monitoring__Rules__api-down__Threshold"] = "1",
            ["SWITCHBOARD_Monitoring__Rules__api-down__Severity"] = "critical",
            ["SWITCHBOARD_Monitoring__Rules__api-down__Monitors__0"] = "api",
            ["SWITCHBOARD_Monitoring__Rules__api-down__Routes__0"] = "hook",
            ["SWITCHBOARD_Monitoring__Rules__api-down__Annotations__summary"] = "{{monitor}} is down",
        }).WaitAsync(Timeout);
        async Task StopAsync()
        {
            if (kill)
            {
                await server.KillAsync();
            }
            else
            {
                await server.TerminateAsync();
            }
            await server.StartAgainAsync();
        }

        upstream.Status = 503;
        await WaitForIncidentAsync(server, "firing");
        await StopAsync();
        await WaitUntilAsync(() => provider.Count("[CRITICAL] Payments API is down") > 0, "the firing notification", provider);

        upstream.Status = 200;
        await WaitForIncidentAsync(server, "resolved");
        await StopAsync();
        await WaitUntilAsync(() => provider.Count("[RESOLVED] Payments API is down") > 0, "the resolved notification", provider);

        // Every notice is recorded: nothing is left to send twice.
        var detail = await WaitForTimelineAsync(server);
        Assert.Equal(1, provider.Count("[CRITICAL] Payments API is down"));
        Assert.Equal(1, provider.Count("[RESOLVED] Payments API is down"));
        Assert.Equal(2, detail.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "notification.queued"));
    }

    private static async Task<JsonElement> WaitForIncidentAsync(ServerProcess server, string status)
    {
        using var client = server.CreateClient(await LoginAsync(server));
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"v1/incidents?status={status}").WaitAsync(Timeout);
            if (page.GetProperty("items").GetArrayLength() > 0)
            {
                return page.GetProperty("items")[0];
            }
            Assert.False(timeout.IsCancellationRequested, $"No incident became {status}.\n{server.Output}");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> WaitForTimelineAsync(ServerProcess server)
    {
        using var client = server.CreateClient(await LoginAsync(server));
        var id = (await WaitForIncidentAsync(server, "resolved")).GetProperty("id").GetGuid();
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var detail = await client.GetFromJsonAsync<JsonElement>($"v1/incidents/{id}").WaitAsync(Timeout);
            if (detail.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("kind").GetString()!.StartsWith("notification.", StringComparison.Ordinal)) >= 2)
            {
                return detail;
            }
            Assert.False(timeout.IsCancellationRequested, $"The notices were never recorded: {detail}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, RecordingEndpoint provider)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting for {what}; the provider got: {string.Join(" | ", provider.Bodies)}");
            await Task.Delay(50);
        }
    }

    private static async Task<string> LoginAsync(ServerProcess server)
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = ServerProcess.AdminPassword }).WaitAsync(Timeout);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
