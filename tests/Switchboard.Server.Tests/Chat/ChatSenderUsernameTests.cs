using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Server.Chat;
using Switchboard.Server.Tests.Channels;

namespace Switchboard.Server.Tests.Chat;

/// <summary>Message views name the sender by username wherever they are shown; a contact, not being a local user, has none.</summary>
public sealed class ChatSenderUsernameTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = ChatHubClient.Timeout;

    private FakeProviders _fake = null!;
    private ChatFixture _chat = null!;

    public async Task InitializeAsync() =>
        (_fake, _chat) = await ChannelChat.StartAsync(new Dictionary<string, string?> { ["Channels:Instances:wa:Inbox:0"] = "alice" });

    public async Task DisposeAsync()
    {
        await _chat.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task History_search_and_live_messages_carry_the_senders_username()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var conversation = await alice.CreateConversationAsync("private", null, bob.Id);
        await using var bobHub = await _chat.ConnectAsync(bob, messagePack: false);

        var sent = await alice.PostAsync($"v1/conversations/{conversation}/messages", new { text = "pineapples for lunch" }, HttpStatusCode.Created);
        Assert.Equal("alice", sent.GetProperty("senderUsername").GetString());
        var live = await bobHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Text == "pineapples for lunch");
        Assert.Equal("alice", live.SenderUsername);
        var reply = await bobHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", conversation.ToString(),
            new SendMessageInput { Text = "pineapples again" }).WaitAsync(Timeout);
        Assert.Equal("bob", reply.SenderUsername);

        var history = (await bob.GetAsync($"v1/conversations/{conversation}/messages")).GetProperty("items");
        Assert.Equal(["alice", "bob"], history.EnumerateArray().Select(m => m.GetProperty("senderUsername").GetString()));
        var found = (await bob.GetAsync($"v1/search/messages?q=pineapples&conversationId={conversation}")).GetProperty("items");
        Assert.Equal(2, found.GetArrayLength());
        Assert.All(found.EnumerateArray(), m => Assert.Equal(
            m.GetProperty("senderId").GetString() == alice.Id ? "alice" : "bob", m.GetProperty("senderUsername").GetString()));
        var synced = await bob.GetAsync($"v1/conversations/{conversation}/sync");
        Assert.Equal(["alice", "bob"], synced.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("senderUsername").GetString()));
    }

    [Fact]
    public async Task A_contacts_message_has_no_username_and_the_field_is_still_sent()
    {
        var alice = await _chat.CreateUserAsync("alice");
        await using var hub = await _chat.ConnectAsync(alice, messagePack: false);

        var body = JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "WABA",
                    changes = new[]
                    {
                        new
                        {
                            field = "messages",
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "15550000", phone_number_id = "1055" },
                                contacts = new[] { new { profile = new { name = "Maria Lopez" }, wa_id = "15551234567" } },
                                messages = new[] { new { from = "15551234567", id = "wamid.name-1", timestamp = "1700000100", type = "text", text = new { body = "avocados in stock?" } } },
                            },
                        },
                    },
                },
            },
        });
        using (var client = _chat.Server.CreateClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/channels/wa/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", FakeProviders.MetaSignature(body, "wa-app-secret"));
            using var response = await client.SendAsync(request).WaitAsync(Timeout);
            await ChatFixture.ExpectAsync(response, HttpStatusCode.OK);
        }

        var live = await hub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Text == "avocados in stock?");
        Assert.Equal("contact:wa:15551234567", live.SenderId);
        Assert.Null(live.SenderUsername);
        var reply = await alice.PostAsync($"v1/conversations/{live.ConversationId}/messages", new { text = "avocados arrive tomorrow" }, HttpStatusCode.Created);
        Assert.Equal("alice", reply.GetProperty("senderUsername").GetString());

        var history = (await alice.GetAsync($"v1/conversations/{live.ConversationId}/messages")).GetProperty("items");
        var fromContact = history.EnumerateArray().Single(m => m.GetProperty("text").GetString() == "avocados in stock?");
        Assert.Equal(JsonValueKind.Null, fromContact.GetProperty("senderUsername").ValueKind);
        var found = (await alice.GetAsync("v1/search/messages?q=avocados")).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, found.Length);
        Assert.Equal(JsonValueKind.Null, found.Single(m => m.GetProperty("senderId").GetString() == "contact:wa:15551234567").GetProperty("senderUsername").ValueKind);
        Assert.Equal("alice", found.Single(m => m.GetProperty("senderId").GetString() == alice.Id).GetProperty("senderUsername").GetString());
        var last = (await alice.GetAsync("v1/conversations")).GetProperty("items")[0].GetProperty("lastMessage");
        Assert.Equal("alice", last.GetProperty("senderUsername").GetString());
    }
}
