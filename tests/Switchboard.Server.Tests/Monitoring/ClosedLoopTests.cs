using System.Net;
using System.Text.Json;

namespace Switchboard.Server.Tests.Monitoring;

/// <summary>
/// The whole loop over real HTTP: a real upstream goes down, the HTTP monitor fails its retries, the rule fires after
/// its <c>for</c>, the first route's provider is down so its fallback delivers, nobody acknowledges so it escalates,
/// an acknowledgement stops escalation, the upstream comes back and "resolved" goes to every route that was told.
/// </summary>
public sealed class ClosedLoopTests
{
    [Fact]
    public async Task Upstream_down_fires_falls_back_escalates_stops_on_ack_and_resolves_with_every_step_in_the_timeline()
    {
        await using var h = await MonitoringHarness.StartAsync();
        await h.CreateMonitorAsync();
        await h.CreateDownRuleAsync();
        await h.WaitForAsync("v1/monitors/api", m => m.GetProperty("state").GetProperty("status").GetString() == "up", "the monitor to be up");

        h.Upstream.Healthy = false;
        var incident = await h.WaitForIncidentAsync("api-down", "firing");
        var id = incident.GetProperty("id").GetGuid();
        Assert.Equal("critical", incident.GetProperty("severity").GetString());
        Assert.Equal("Payments API is down", incident.GetProperty("title").GetString());

        // Telegram (first in route 'primary') answers 500, so slack (its fallback) delivers the firing notification.
        await h.WaitForCallAsync("slack", "[CRITICAL] Payments API is down", "the firing notification through the fallback");
        Assert.NotEmpty(h.Fake.CallsTo("telegram"));
        // Unacknowledged for 2 s: the webhook (route 'managers') is told.
        await h.WaitForCallAsync("webhook", "ESCALATED", "the escalation to managers");

        var acked = await h.Channels.PostAsync($"v1/incidents/{id}/ack", new { comment = "on it" }, HttpStatusCode.OK);
        Assert.Equal("acknowledged", acked.GetProperty("status").GetString());
        Assert.Equal(1, acked.GetProperty("level").GetInt32());
        // Twice the escalation time without an escalation to 'directors' (discord): the ack stopped it.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Empty(h.Fake.CallsTo("discord"));

        h.Upstream.Healthy = true;
        await h.WaitForIncidentAsync("api-down", "resolved");
        await h.WaitForCallAsync("slack", "[RESOLVED] Payments API is down", "the resolved notification to primary");
        await h.WaitForCallAsync("webhook", "[RESOLVED] Payments API is down", "the resolved notification to managers");

        Assert.Single(h.CallsTo("slack", "[CRITICAL] Payments API is down"));
        Assert.Single(h.CallsTo("slack", "[RESOLVED]"));
        Assert.Single(h.CallsTo("webhook", "ESCALATED"));
        Assert.Single(h.CallsTo("webhook", "[RESOLVED]"));
        Assert.Empty(h.Fake.CallsTo("discord"));

        var detail = await h.WaitForAsync($"v1/incidents/{id}",
            d => d.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "notification.queued") == 4,
            "every notice to be recorded");
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToArray();
        Assert.All(timeline, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        Assert.Equal(["opened", "notification.queued", "escalated", "notification.queued", "acknowledged", "event.published", "resolved",
            "notification.queued", "notification.queued"], timeline.Select(e => e.GetProperty("kind").GetString()));
        Assert.Contains("failed check(s) (retries 2)", timeline[0].GetProperty("message").GetString());
        Assert.Contains("Status 503", timeline[0].GetProperty("message").GetString());
        Assert.Contains("unacknowledged for", timeline[2].GetProperty("message").GetString());
        Assert.Contains("Acknowledged by admin", timeline[4].GetProperty("message").GetString());
        Assert.Contains("on it", timeline[4].GetProperty("message").GetString());
        Assert.Contains("no longer == 1", timeline[6].GetProperty("message").GetString());

        // The first notification's deliveries show why it went where it went: telegram failed, slack sent it.
        var firing = timeline[1].GetProperty("deliveries").EnumerateArray().Single();
        Assert.Equal("slack", firing.GetProperty("channel").GetString());
        Assert.Equal("sent", firing.GetProperty("status").GetString());
        var attempts = firing.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(["tg", "slack"], attempts.Select(a => a.GetProperty("channel").GetString()));
        Assert.Equal("retryable", attempts[0].GetProperty("outcome").GetString());
        Assert.Equal("sent", attempts[1].GetProperty("outcome").GetString());
    }
}
