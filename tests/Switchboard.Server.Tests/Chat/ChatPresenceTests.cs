using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Server.Chat;
using Switchboard.Server.Presence;

namespace Switchboard.Server.Tests.Chat;

/// <summary>Presence beyond connect and disconnect: idle connections turn away, and presence shared through Redis.</summary>
public sealed class ChatPresenceTests
{
    private static readonly TimeSpan Timeout = ChatHubClient.Timeout;

    [Fact]
    public async Task An_idle_connection_turns_away_and_its_next_call_brings_it_back()
    {
        await using var chat = await ChatFixture.StartAsync(new Dictionary<string, string?> { ["Chat:Presence:AwayAfter"] = "00:00:01" });
        var alice = await chat.CreateUserAsync("alice");
        var bob = await chat.CreateUserAsync("bob");
        var id = await alice.CreateConversationAsync("private", null, bob.Id);
        await using var aliceHub = await chat.ConnectAsync(alice, messagePack: false);
        await using var bobHub = await chat.ConnectAsync(bob, messagePack: false);

        await aliceHub.WaitForAsync<PresenceView>("Presence", p => p.UserId == bob.Id && p.Status == "away");
        await bobHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id.ToString(), new SendMessageInput { Text = "back" }).WaitAsync(Timeout);
        var statuses = await WaitForStatusesAsync(aliceHub, bob.Id, 3);
        Assert.Equal(["online", "away", "online"], statuses.Take(3));
    }

    [Fact]
    public async Task With_Redis_configured_presence_is_shared_and_readyz_checks_the_backplane()
    {
        var prefix = "sb-test-" + Guid.NewGuid().ToString("n")[..12];
        await using var chat = await ChatFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:Redis:Configuration"] = "127.0.0.1:6379",
            ["Chat:Redis:Prefix"] = prefix,
        });
        using var anonymous = chat.Server.CreateClient();
        var ready = await anonymous.GetFromJsonAsync<JsonElement>("readyz").WaitAsync(Timeout);
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("chat:redis").GetString());

        var alice = await chat.CreateUserAsync("alice");
        var bob = await chat.CreateUserAsync("bob");
        var id = await alice.CreateConversationAsync("private", null, bob.Id);
        await using var aliceHub = await chat.ConnectAsync(alice, messagePack: true);
        await using (var bobHub = await chat.ConnectAsync(bob, messagePack: true))
        {
            await aliceHub.WaitForAsync<PresenceView>("Presence", p => p.UserId == bob.Id && p.Status == "online");
            Assert.Equal("online", (await alice.GetAsync($"v1/users/{bob.Id}/presence")).GetProperty("status").GetString());
            var sent = await aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id.ToString(), new SendMessageInput { Text = "through redis" }).WaitAsync(Timeout);
            await bobHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == sent.Id);
        }
        await aliceHub.WaitForAsync<PresenceView>("Presence", p => p.UserId == bob.Id && p.Status == "offline");
        var presence = await alice.GetAsync($"v1/users/{bob.Id}/presence");
        Assert.Equal("offline", presence.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, presence.GetProperty("lastSeenAt").ValueKind);
        await bob.GetAsync($"v1/users/{alice.Id}/presence", HttpStatusCode.OK);
    }

    private static async Task<string[]> WaitForStatusesAsync(ChatHubClient client, string userId, int count)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        while (true)
        {
            var statuses = client.Received<PresenceView>("Presence").Where(p => p.UserId == userId).Select(p => p.Status).ToArray();
            if (statuses.Length >= count || DateTimeOffset.UtcNow > deadline)
            {
                return statuses;
            }
            await Task.Delay(50);
        }
    }
}
