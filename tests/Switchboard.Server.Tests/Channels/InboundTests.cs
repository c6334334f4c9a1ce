using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Server.Chat;
using Switchboard.Server.Tests.Chat;

namespace Switchboard.Server.Tests.Channels;

/// <summary>
/// Contacts writing in through WhatsApp, Instagram and Telegram webhooks: their messages land in one conversation per
/// contact, reach the inbox users live, are published as <c>message.received</c>, and replies go back to the provider
/// the contact wrote from.
/// </summary>
public sealed class InboundTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private FakeProviders _fake = null!;
    private ChatFixture _chat = null!;
    private ChatUser _alice = null!;
    private ChatUser _bob = null!;

    public async Task InitializeAsync()
    {
        var inbox = new Dictionary<string, string?>();
        foreach (var instance in new[] { "wa", "ig", "tg" })
        {
            inbox[$"Channels:Instances:{instance}:Inbox:0"] = "alice";
            inbox[$"Channels:Instances:{instance}:Inbox:1"] = "nobody-by-this-name";
        }
        (_fake, _chat) = await ChannelChat.StartAsync(inbox);
        _alice = await _chat.CreateUserAsync("alice");
        _bob = await _chat.CreateUserAsync("bob");
    }

    public async Task DisposeAsync()
    {
        await _chat.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static string WhatsAppMessage(string from, string id, string text, string name = "Maria Lopez") => JsonSerializer.Serialize(new
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
                            contacts = new[] { new { profile = new { name }, wa_id = from } },
                            messages = new[] { new { from, id, timestamp = "1700000100", type = "text", text = new { body = text } } },
                        },
                    },
                },
            },
        },
    });

    private async Task<JsonElement> PostWebhookAsync(string channel, string body, string header, string? value, HttpStatusCode expected)
    {
        using var client = _chat.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/channels/{channel}/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        using var response = await client.SendAsync(request).WaitAsync(Timeout);
        return await ChatFixture.ExpectAsync(response, expected);
    }

    private Task<JsonElement> PostWhatsAppAsync(string body, HttpStatusCode expected = HttpStatusCode.OK) =>
        PostWebhookAsync("wa", body, "X-Hub-Signature-256", FakeProviders.MetaSignature(body, "wa-app-secret"), expected);

    private async Task<JsonElement> OnlyConversationAsync(ChatUser user)
    {
        var mine = await user.GetAsync("v1/conversations");
        var items = mine.GetProperty("items");
        Assert.Equal(1, items.GetArrayLength());
        return items[0].GetProperty("conversation");
    }

    private async Task<FakeCall> WaitForCallAsync(string provider, Func<FakeCall, bool> match)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            if (_fake.CallsTo(provider).FirstOrDefault(match) is { } call)
            {
                return call;
            }
            Assert.False(timeout.IsCancellationRequested, $"{provider} was not called as expected; calls: {string.Join(" | ", _fake.Calls.Select(c => c.Provider + " " + c.Raw))}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_WhatsApp_message_lands_in_the_contacts_conversation_live_and_the_reply_goes_back_to_WhatsApp()
    {
        await using var hub = await _chat.ConnectAsync(_alice, messagePack: false);

        var receipt = await PostWhatsAppAsync(WhatsAppMessage("15551234567", "wamid.in-1", "Hello, is my order ready?"));

        Assert.Equal(1, receipt.GetProperty("messages").GetInt32());
        Assert.Equal(1, receipt.GetProperty("stored").GetInt32());
        var live = await hub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Text == "Hello, is my order ready?");
        Assert.Equal("contact:wa:15551234567", live.SenderId);
        var conversation = await OnlyConversationAsync(_alice);
        Assert.Equal("contact", conversation.GetProperty("kind").GetString());
        Assert.Equal("Maria Lopez", conversation.GetProperty("name").GetString());
        Assert.Equal("wa", conversation.GetProperty("contact").GetProperty("channel").GetString());
        Assert.Equal("15551234567", conversation.GetProperty("contact").GetProperty("address").GetString());
        var id = conversation.GetProperty("id").GetGuid();
        Assert.Equal(live.ConversationId, id);

        var reply = await _alice.PostAsync($"v1/conversations/{id}/messages", new { clientMessageId = "r1", text = "Yes, it ships today." }, HttpStatusCode.Created);

        Assert.Equal(["wa"], reply.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var call = await WaitForCallAsync("whatsapp", c => c.Json?["text"]?["body"]?.GetValue<string>() == "Yes, it ships today.");
        Assert.Equal("/v21.0/1055/messages", call.Path);
        Assert.Equal("15551234567", call.Json!["to"]!.GetValue<string>());
        var status = await hub.WaitForAsync<MessageStatusView>("MessageStatus", s => s.MessageId == reply.GetProperty("id").GetGuid() && s.Status == "sent");
        Assert.Equal("wa", status.Channel);
    }

    [Fact]
    public async Task A_contact_keeps_one_conversation_and_a_redelivered_webhook_is_stored_once()
    {
        await PostWhatsAppAsync(WhatsAppMessage("15551234567", "wamid.in-1", "First"));
        var again = await PostWhatsAppAsync(WhatsAppMessage("15551234567", "wamid.in-1", "First"));
        await PostWhatsAppAsync(WhatsAppMessage("15551234567", "wamid.in-2", "Second"));
        await PostWhatsAppAsync(WhatsAppMessage("15557654321", "wamid.in-3", "Someone else", name: "Ken"));

        Assert.Equal(0, again.GetProperty("stored").GetInt32());
        var mine = (await _alice.GetAsync("v1/conversations")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("conversation")).ToArray();
        Assert.Equal(2, mine.Length);
        var maria = mine.Single(c => c.GetProperty("contact").GetProperty("address").GetString() == "15551234567");
        var history = await _alice.GetAsync($"v1/conversations/{maria.GetProperty("id").GetGuid()}/messages?after=0");
        Assert.Equal(["First", "Second"], history.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.Equal([1L, 2L], history.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Contacts_messages_are_published_as_message_received_events()
    {
        using var admin = _chat.Server.CreateClient(_chat.AdminToken);
        (await admin.PostAsJsonAsync("v1/queues", new { name = "crm" })).EnsureSuccessStatusCode();
        using (var subscribed = await admin.PostAsJsonAsync("v1/topics/%24sys.events/subscriptions", new { queue = "crm", pattern = "message.received" }))
        {
            Assert.True(subscribed.IsSuccessStatusCode, await subscribed.Content.ReadAsStringAsync());
        }

        await PostWhatsAppAsync(WhatsAppMessage("15551234567", "wamid.in-9", "Where is my parcel?"));

        using var received = await admin.PostAsJsonAsync("v1/queues/crm/receive", new { max = 10, waitSeconds = 10 }).WaitAsync(Timeout);
        var messages = (await ChatFixture.ExpectAsync(received, HttpStatusCode.OK)).GetProperty("messages");
        Assert.Equal(1, messages.GetArrayLength());
        var evt = JsonDocument.Parse(messages[0].GetProperty("body").GetString()!).RootElement;
        Assert.Equal("message.received", evt.GetProperty("event").GetString());
        var data = evt.GetProperty("data");
        Assert.Equal("wa", data.GetProperty("channel").GetString());
        Assert.Equal("15551234567", data.GetProperty("address").GetString());
        Assert.Equal("Maria Lopez", data.GetProperty("contactName").GetString());
        Assert.Equal("wamid.in-9", data.GetProperty("providerMessageId").GetString());
        Assert.Equal("Where is my parcel?", data.GetProperty("text").GetString());
        Assert.Equal(1, data.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_Telegram_message_lands_in_a_conversation_and_the_reply_goes_to_its_chat()
    {
        var update = """
            {"update_id":10000,"message":{"message_id":77,"date":1700000100,"chat":{"id":424242,"type":"private","first_name":"Ana"},
            "from":{"id":424242,"is_bot":false,"first_name":"Ana","last_name":"Silva","username":"anasilva"},"text":"Olá! Can I change my booking?"}}
            """;
        await PostWebhookAsync("tg", update, "X-Telegram-Bot-Api-Secret-Token", "tg-secret", HttpStatusCode.OK);
        var conversation = await OnlyConversationAsync(_alice);
        Assert.Equal("Ana Silva", conversation.GetProperty("name").GetString());
        Assert.Equal("424242", conversation.GetProperty("contact").GetProperty("address").GetString());

        await _alice.PostAsync($"v1/conversations/{conversation.GetProperty("id").GetGuid()}/messages", new { text = "Sure, which date?" }, HttpStatusCode.Created);

        var call = await WaitForCallAsync("telegram", c => c.Json?["text"]?.GetValue<string>() == "Sure, which date?");
        Assert.Equal("424242", call.Json!["chat_id"]!.ToString());
    }

    [Fact]
    public async Task An_Instagram_message_lands_in_a_conversation_its_echo_does_not_and_the_reply_goes_to_the_sender()
    {
        var body = """
            {"object":"instagram","entry":[{"id":"IGBIZ","time":1700000100000,"messaging":[
              {"sender":{"id":"IGSID-981"},"recipient":{"id":"IGBIZ"},"timestamp":1700000100000,"message":{"mid":"mid.in-1","text":"Do you ship to Lisbon?"}},
              {"sender":{"id":"IGBIZ"},"recipient":{"id":"IGSID-981"},"timestamp":1700000100500,"message":{"mid":"mid.echo-1","text":"auto-reply","is_echo":true}}
            ]}]}
            """;
        var receipt = await PostWebhookAsync("ig", body, "X-Hub-Signature-256", FakeProviders.MetaSignature(body, "ig-app-secret"), HttpStatusCode.OK);

        Assert.Equal(1, receipt.GetProperty("stored").GetInt32());
        var conversation = await OnlyConversationAsync(_alice);
        var id = conversation.GetProperty("id").GetGuid();
        var history = await _alice.GetAsync($"v1/conversations/{id}/messages?after=0");
        Assert.Equal(["Do you ship to Lisbon?"], history.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()));

        await _alice.PostAsync($"v1/conversations/{id}/messages", new { text = "We do, in 3 days." }, HttpStatusCode.Created);

        var call = await WaitForCallAsync("instagram", c => c.Json?["message"]?["text"]?.GetValue<string>() == "We do, in 3 days.");
        Assert.Equal("IGSID-981", call.Json!["recipient"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unsigned_or_wrongly_signed_inbound_message_is_refused_and_nothing_is_stored()
    {
        var body = WhatsAppMessage("15551234567", "wamid.forged", "Send me everyone's orders");

        await PostWebhookAsync("wa", body, "X-Hub-Signature-256", null, HttpStatusCode.Unauthorized);
        await PostWebhookAsync("wa", body, "X-Hub-Signature-256", FakeProviders.MetaSignature(body, "guessed-secret"), HttpStatusCode.Unauthorized);
        await PostWebhookAsync("tg", """{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5},"text":"hi"}}""",
            "X-Telegram-Bot-Api-Secret-Token", "wrong", HttpStatusCode.Unauthorized);

        Assert.Equal(0, (await _alice.GetAsync("v1/conversations")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Only_inbox_users_see_a_contacts_conversation_and_replies_cannot_be_sent_elsewhere()
    {
        await PostWhatsAppAsync(WhatsAppMessage("15551234567", "wamid.in-1", "Hi"));
        var id = (await OnlyConversationAsync(_alice)).GetProperty("id").GetGuid();

        Assert.Equal(0, (await _bob.GetAsync("v1/conversations")).GetProperty("items").GetArrayLength());
        await _bob.GetAsync($"v1/conversations/{id}", HttpStatusCode.NotFound);
        var elsewhere = await _alice.PostAsync($"v1/conversations/{id}/messages", new { text = "Hi", channels = new[] { "tg" } }, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_channel", elsewhere.GetProperty("code").GetString());
        var forged = await _alice.PostAsync("v1/conversations", new { kind = "contact", members = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", forged.GetProperty("code").GetString());

        // A server admin adds bob to the contact's conversation; from then on he sees it.
        using var admin = _chat.Server.CreateClient(_chat.AdminToken);
        using var added = await admin.PostAsJsonAsync($"v1/conversations/{id}/members", new { userId = _bob.Id });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        Assert.Equal(id, (await OnlyConversationAsync(_bob)).GetProperty("id").GetGuid());
    }
}
