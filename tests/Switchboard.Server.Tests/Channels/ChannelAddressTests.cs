using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Chat;
using Switchboard.Server.Tests.Chat;

namespace Switchboard.Server.Tests.Channels;

/// <summary>
/// Users' addresses outside chat: a chat message sent with <c>channels</c> becomes one delivery per other member with an
/// address there, each reaching the provider once with its own status.
/// </summary>
public sealed class ChannelAddressTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private FakeProviders _fake = null!;
    private ChatFixture _chat = null!;

    public async Task InitializeAsync()
    {
        (_fake, _chat) = await ChannelChat.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chat.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static async Task<JsonElement> PutAsync(ChatUser user, string path, object body, HttpStatusCode expected)
    {
        using var response = await user.Http.PutAsJsonAsync(path, body).WaitAsync(Timeout);
        return await ChatFixture.ExpectAsync(response, expected);
    }

    [Fact]
    public async Task A_group_message_with_a_channel_reaches_every_other_member_with_an_address_there_once()
    {
        var (alice, bob, carol, dave) = (await _chat.CreateUserAsync("alice"), await _chat.CreateUserAsync("bob"),
            await _chat.CreateUserAsync("carol"), await _chat.CreateUserAsync("dave"));
        await PutAsync(bob, "v1/users/me/channel-addresses/whatsapp", new { address = "15550101" }, HttpStatusCode.OK);
        await PutAsync(carol, "v1/users/me/channel-addresses/wa", new { address = "15550202" }, HttpStatusCode.OK);
        await PutAsync(dave, "v1/users/me/channel-addresses/telegram", new { address = "424242" }, HttpStatusCode.OK);
        await PutAsync(alice, "v1/users/me/channel-addresses/whatsapp", new { address = "15550000" }, HttpStatusCode.OK);
        var group = await alice.CreateConversationAsync("group", "team", bob.Id, carol.Id, dave.Id);
        await using var hub = await _chat.ConnectAsync(alice, messagePack: true);

        var sent = await alice.PostAsync($"v1/conversations/{group}/messages", new { text = "Stand-up moved to 10:00", channels = new[] { "wa" } }, HttpStatusCode.Created);

        var messageId = sent.GetProperty("id").GetGuid();
        await hub.WaitForAsync<MessageStatusView>("MessageStatus", s => s.MessageId == messageId && s.Status == "sent");
        using var deadline = new CancellationTokenSource(Timeout);
        while (hub.Received<MessageStatusView>("MessageStatus").Count(s => s.MessageId == messageId && s.Status == "sent") < 2)
        {
            Assert.False(deadline.IsCancellationRequested, "Two deliveries were not both reported sent.");
            await Task.Delay(25);
        }
        var calls = _fake.CallsTo("whatsapp").Where(c => c.Json?["text"]?["body"]?.GetValue<string>() == "Stand-up moved to 10:00").ToArray();
        Assert.Equal(["15550101", "15550202"], calls.Select(c => c.Json!["to"]!.GetValue<string>()).Order());
        Assert.Equal(2, calls.Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.Empty(_fake.CallsTo("telegram"));
    }

    [Fact]
    public async Task Users_manage_their_own_addresses_and_only_admins_anyone_elses()
    {
        var (alice, bob) = (await _chat.CreateUserAsync("alice"), await _chat.CreateUserAsync("bob"));

        var set = await PutAsync(alice, "v1/users/me/channel-addresses/email", new { address = "alice@example.com" }, HttpStatusCode.OK);
        var mine = await alice.GetAsync($"v1/users/{alice.Id}/channel-addresses");
        var notAnEmail = await PutAsync(alice, "v1/users/me/channel-addresses/email", new { address = "alice" }, HttpStatusCode.BadRequest);
        var unknown = await PutAsync(alice, "v1/users/me/channel-addresses/pigeon", new { address = "roof" }, HttpStatusCode.BadRequest);
        var othersAddresses = await bob.GetAsync($"v1/users/{alice.Id}/channel-addresses", HttpStatusCode.NotFound);
        var setForOther = await PutAsync(bob, $"v1/users/{alice.Id}/channel-addresses/whatsapp", new { address = "1" }, HttpStatusCode.NotFound);
        using var admin = _chat.Server.CreateClient(_chat.AdminToken);
        using var byAdmin = await admin.PutAsJsonAsync($"v1/users/{bob.Id}/channel-addresses/tg", new { address = "777" });
        using var deleted = await alice.Http.DeleteAsync("v1/users/me/channel-addresses/email");
        using var deletedAgain = await alice.Http.DeleteAsync("v1/users/me/channel-addresses/email");

        Assert.Equal("alice@example.com", set.GetProperty("addresses").GetProperty("email").GetString());
        Assert.Equal("alice@example.com", mine.GetProperty("addresses").GetProperty("email").GetString());
        Assert.Equal("validation_failed", notAnEmail.GetProperty("code").GetString());
        Assert.Equal("invalid_channel", unknown.GetProperty("code").GetString());
        Assert.Equal("user_not_found", othersAddresses.GetProperty("code").GetString());
        Assert.Equal("user_not_found", setForOther.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal("777", (await bob.GetAsync("v1/users/me/channel-addresses")).GetProperty("addresses").GetProperty("tg").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }
}
