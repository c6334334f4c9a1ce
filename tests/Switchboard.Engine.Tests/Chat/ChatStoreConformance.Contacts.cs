using Switchboard.Channels;
using Switchboard.Chat;
using Switchboard.Errors;

namespace Switchboard.Engine.Tests.Chat;

public abstract partial class ChatStoreConformance
{
    private static InboundMessage Inbound(string channel, string address, string providerId, string text, string? name = "Maria") =>
        new(new ChannelContact(channel, address), providerId, name, text, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Concurrent_messages_from_a_new_contact_make_one_conversation_with_gapless_seqs()
    {
        var agent = await NewUserAsync("agent");

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            Chat.ReceiveFromContactAsync(Inbound("whatsapp", "15551234567", $"wamid.{i}", $"message {i}"), [agent.Name])))).WaitAsync(Timeout);
        var redelivered = await Chat.ReceiveFromContactAsync(Inbound("whatsapp", "15551234567", "wamid.3", "message 3"), [agent.Name]).WaitAsync(Timeout);
        var mine = await Chat.ListMineAsync(agent, null, null).WaitAsync(Timeout);

        Assert.Single(results.Select(r => r.Message.ConversationId).Distinct());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), results.Select(r => r.Message.Seq).Order());
        Assert.True(redelivered.Duplicate);
        Assert.Equal(results.Single(r => r.Message.ClientMessageId == "wamid.3").Message.Id, redelivered.Message.Id);
        var summary = Assert.Single(mine.Items);
        Assert.Equal(ConversationKind.Contact, summary.Conversation.Kind);
        Assert.Equal(new ChannelContact("whatsapp", "15551234567"), summary.Conversation.Contact);
        Assert.Equal("Maria", summary.Conversation.Name);
        Assert.Equal(10, summary.Unread);
        Assert.Equal("contact:whatsapp:15551234567", summary.Last!.SenderId);
        var stored = await Store.GetConversationAsync(summary.Conversation.Id).WaitAsync(Timeout);
        Assert.Equal(summary.Conversation.Contact, stored!.Contact);
        Assert.Null((await PrivateAsync(agent, await NewUserAsync("peer"))).Contact);
    }

    [Fact]
    public async Task The_same_address_on_another_channel_is_another_contact()
    {
        var agent = await NewUserAsync("agent");

        var onWhatsApp = await Chat.ReceiveFromContactAsync(Inbound("whatsapp", "555", "a", "hi"), [agent.Name]).WaitAsync(Timeout);
        var onInstagram = await Chat.ReceiveFromContactAsync(Inbound("instagram", "555", "a", "hi"), [agent.Name]).WaitAsync(Timeout);

        Assert.NotEqual(onWhatsApp.Message.ConversationId, onInstagram.Message.ConversationId);
        Assert.False(onInstagram.Duplicate);
        Assert.Equal(onWhatsApp.Message.ConversationId, (await Chat.FindContactConversationAsync(new ChannelContact("whatsapp", "555")).WaitAsync(Timeout))!.Id);
    }

    [Fact]
    public async Task A_contacts_message_commits_with_message_received_and_a_reply_is_a_job_to_their_address()
    {
        var agent = await NewUserAsync("agent");
        var events = await SubscribeToSystemEventsAsync();

        var received = await Chat.ReceiveFromContactAsync(Inbound("whatsapp", "15551234567", "wamid.1", "Is it ready?"), [agent.Name, "no-such-user"]).WaitAsync(Timeout);
        var reply = await SendAsync(agent, received.Message.ConversationId, "Yes");
        var jobs = await DrainJobsAsync("whatsapp");
        var published = await DrainAsync(events);

        var job = Assert.Single(jobs);
        Assert.Equal(reply.Id, job.MessageId);
        Assert.Equal("15551234567", job.Recipient);
        Assert.Equal(["whatsapp"], reply.Channels);
        var (name, body) = published[0];
        Assert.Equal("message.received", name);
        Assert.Equal("15551234567", body.GetProperty("data").GetProperty("address").GetString());
        Assert.Equal("wamid.1", body.GetProperty("data").GetProperty("providerMessageId").GetString());
        Assert.Equal(["message.received", "message.sent"], published.Select(p => p.Event));
        Assert.Contains(LiveEvents.Events, e => e.Kind == "MessageReceived" && e.Audience.Members.Contains(agent.Id) && ((ChatMessage)e.Payload).Id == received.Message.Id);
        await FailsAsync(ErrorCodes.InvalidChannel, () => Chat.SendAsync(agent, received.Message.ConversationId, new SendMessage(null, "x", null, null, ["instagram"])));
    }

    [Fact]
    public async Task A_reply_through_a_disabled_channel_is_refused_and_contact_conversations_cannot_be_created_by_hand()
    {
        var agent = await NewUserAsync("agent");
        var received = await Chat.ReceiveFromContactAsync(Inbound("telegram", "424242", "1", "Olá"), [agent.Name]).WaitAsync(Timeout);

        await FailsAsync(ErrorCodes.ChannelUnavailable, () => Chat.SendAsync(agent, received.Message.ConversationId, new SendMessage(null, "x", null, null, null)));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(agent, new CreateConversation(ConversationKind.Contact, [])));
    }
}
