using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Switchboard.Server.Tests.Monitoring;

/// <summary>Alertmanager's v2 API: what a Prometheus posts becomes incidents notified through our routes and channels.</summary>
public sealed class AlertmanagerTests
{
    [Fact]
    public async Task Posted_alerts_fire_once_however_often_reposted_and_resolve_when_their_end_passes()
    {
        await using var h = await MonitoringHarness.StartAsync(new Dictionary<string, string?> { ["Monitoring:Routes:critical:0"] = "primary" });
        var key = await h.Channels.PostAsync("v1/api-keys", new { name = "prometheus", scopes = new[] { "monitoring:alerts" } }, HttpStatusCode.Created);
        using var prometheus = h.Channels.Server.CreateClient();
        prometheus.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("key").GetString());
        object Alert(DateTimeOffset endsAt) => new[]
        {
            new
            {
                labels = new Dictionary<string, string> { ["alertname"] = "HighLatency", ["instance"] = "db-1:9100", ["severity"] = "critical" },
                annotations = new Dictionary<string, string> { ["summary"] = "db-1 is slow" },
                startsAt = DateTimeOffset.UtcNow.AddMinutes(-1), endsAt, generatorURL = "http://prometheus:9090/graph",
            },
        };

        for (var i = 0; i < 3; i++)
        {
            using var posted = await prometheus.PostAsJsonAsync("api/v2/alerts", Alert(DateTimeOffset.UtcNow.AddMinutes(5))).WaitAsync(MonitoringHarness.Timeout);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }
        await h.WaitForCallAsync("slack", "[CRITICAL] db-1 is slow", "the alert's notification");
        var incident = await h.WaitForIncidentAsync("alertmanager:HighLatency", "firing");
        Assert.Equal("db-1:9100", incident.GetProperty("labels").GetProperty("instance").GetString());

        using var resolved = await prometheus.PostAsJsonAsync("api/v2/alerts", Alert(DateTimeOffset.UtcNow.AddSeconds(-1))).WaitAsync(MonitoringHarness.Timeout);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        await h.WaitForCallAsync("slack", "[RESOLVED] db-1 is slow", "the resolved notification");
        Assert.Single(h.CallsTo("slack", "[CRITICAL] db-1 is slow"));
        Assert.Single(h.CallsTo("slack", "[RESOLVED] db-1 is slow"));

        // Without the scope the intake refuses.
        using var user = h.Channels.Server.CreateClient();
        using var anonymous = await user.PostAsJsonAsync("api/v2/alerts", Alert(DateTimeOffset.UtcNow.AddMinutes(5))).WaitAsync(MonitoringHarness.Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
