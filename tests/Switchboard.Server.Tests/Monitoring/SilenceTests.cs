using System.Net;

namespace Switchboard.Server.Tests.Monitoring;

/// <summary>Silences and maintenance windows hold notifications back and say so in the timeline; evaluation goes on.</summary>
public sealed class SilenceTests
{
    [Fact]
    public async Task A_silence_suppresses_the_notifications_while_the_incident_still_fires_and_resolves()
    {
        await using var h = await MonitoringHarness.StartAsync();
        await h.CreateMonitorAsync();
        await h.CreateDownRuleAsync();
        await h.Channels.PostAsync("v1/silences", new
        {
            matchers = new[] { new { name = "team", @operator = "=", value = "payments" } },
            endsAt = DateTimeOffset.UtcNow.AddHours(1), comment = "planned migration",
        }, HttpStatusCode.Created);
        await h.WaitForAsync("v1/monitors/api", m => m.GetProperty("state").GetProperty("status").GetString() == "up", "the monitor to be up");

        h.Upstream.Healthy = false;
        var id = (await h.WaitForIncidentAsync("api-down", "firing")).GetProperty("id").GetGuid();
        var fired = await h.WaitForAsync($"v1/incidents/{id}",
            d => d.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "notification.suppressed"), "the suppression");
        h.Upstream.Healthy = true;
        await h.WaitForIncidentAsync("api-down", "resolved");
        var detail = await h.WaitForAsync($"v1/incidents/{id}",
            d => d.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "notification.suppressed") >= 2,
            "the resolution's suppression");

        var lines = detail.GetProperty("timeline").EnumerateArray().ToArray();
        var suppressed = lines.Where(e => e.GetProperty("kind").GetString() == "notification.suppressed").Select(e => e.GetProperty("message").GetString()!).ToArray();
        Assert.All(suppressed, m => Assert.Contains("suppressed by silence", m));
        Assert.All(suppressed, m => Assert.Contains("planned migration", m));
        Assert.Contains(lines, e => e.GetProperty("kind").GetString() == "resolved");
        Assert.DoesNotContain(lines, e => e.GetProperty("kind").GetString() == "notification.queued");
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task A_cron_maintenance_window_suppresses_notifications_and_names_itself()
    {
        await using var h = await MonitoringHarness.StartAsync();
        await h.CreateMonitorAsync();
        await h.CreateDownRuleAsync();
        // Every minute, for an hour: always open while it lasts.
        var window = await h.Channels.PostAsync("v1/silences", new
        {
            kind = "maintenance", name = "nightly-deploy", matchers = new[] { new { name = "monitor", @operator = "=~", value = "api|web" } },
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-1), endsAt = DateTimeOffset.UtcNow.AddDays(1), cron = "* * * * *", durationSeconds = 3600,
        }, HttpStatusCode.Created);
        Assert.Equal("maintenance", window.GetProperty("kind").GetString());
        await h.WaitForAsync("v1/monitors/api", m => m.GetProperty("state").GetProperty("status").GetString() == "up", "the monitor to be up");

        h.Upstream.Healthy = false;
        var id = (await h.WaitForIncidentAsync("api-down", "firing")).GetProperty("id").GetGuid();
        var detail = await h.WaitForAsync($"v1/incidents/{id}",
            d => d.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "notification.suppressed"), "the suppression");

        var line = detail.GetProperty("timeline").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "notification.suppressed");
        Assert.Contains("maintenance window nightly-deploy", line.GetProperty("message").GetString());
        Assert.Equal("firing", detail.GetProperty("incident").GetProperty("status").GetString());
        Assert.Empty(h.Fake.Calls);

        // Ending the window lets the next notification (the escalation) through.
        using var deleted = await h.Client.DeleteAsync($"v1/silences/{window.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await h.WaitForCallAsync("webhook", "ESCALATED", "the escalation after the window ended");
    }
}
