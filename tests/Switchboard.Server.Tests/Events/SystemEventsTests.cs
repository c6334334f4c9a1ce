using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Events;

public sealed class SystemEventsTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Identity:AllowRegistration"] = "true" });
        _admin = _server.CreateClient(await _server.LoginAsync());
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task An_application_subscribed_to_user_events_sees_a_registration_and_a_login()
    {
        (await _admin.PostAsJsonAsync("v1/queues", new { name = "audit" })).EnsureSuccessStatusCode();
        using (var subscribed = await _admin.PostAsJsonAsync("v1/topics/%24sys.events/subscriptions", new { queue = "audit", pattern = "user.*" }))
        {
            Assert.True(subscribed.IsSuccessStatusCode, await subscribed.Content.ReadAsStringAsync());
        }
        using var anonymous = _server.CreateClient();
        (await anonymous.PostAsJsonAsync("v1/auth/register", new { username = "alice", password = "alice-password-1" })).EnsureSuccessStatusCode();
        await _server.LoginAsync("alice", "alice-password-1");

        var events = await ReceiveAsync("audit", 2);

        Assert.Equal(["user.registered", "user.login"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.All(events, e => Assert.Equal("alice", e.GetProperty("data").GetProperty("username").GetString()));
        Assert.All(events, e => Assert.DoesNotContain("password", e.GetRawText(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Not_even_an_admin_can_forge_a_system_event_or_delete_the_topic()
    {
        using var publish = await _admin.PostAsJsonAsync("v1/topics/%24sys.events/messages", new { subject = "user.login", messages = new[] { new { body = "{}" } } });
        using var delete = await _admin.DeleteAsync("v1/topics/%24sys.events");

        await ProblemAssert.IsProblemAsync(publish, HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.Forbidden, "forbidden");
    }

    private async Task<JsonElement[]> ReceiveAsync(string queue, int count)
    {
        var found = new List<JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (found.Count < count && DateTime.UtcNow < deadline)
        {
            using var response = await _admin.PostAsJsonAsync($"v1/queues/{queue}/receive", new { max = 10, waitSeconds = 5 });
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(response.IsSuccessStatusCode, body.GetRawText());
            found.AddRange(body.GetProperty("messages").EnumerateArray().Select(m => JsonDocument.Parse(m.GetProperty("body").GetString()!).RootElement.Clone()));
        }
        return found.ToArray();
    }
}
