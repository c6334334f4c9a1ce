using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Chat;
using Switchboard.Errors;
using Switchboard.Events;

namespace Switchboard.Engine.Tests.Chat;

public abstract partial class ChatStoreConformance
{
    [Fact]
    public async Task A_send_with_channels_commits_one_delivery_job_per_channel_and_message_sent()
    {
        var events = await SubscribeToSystemEventsAsync();
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);

        var toAll = await SendAsync(alice, conversation.Id, "to every channel", "c-1", ["all"]);
        var toOne = await SendAsync(bob, conversation.Id, "to whatsapp", null, ["whatsapp", "whatsapp"]);
        var plain = await SendAsync(bob, conversation.Id, "chat only");
        var whatsapp = await DrainJobsAsync("whatsapp");
        var instagram = await DrainJobsAsync("instagram");
        var telegram = await DrainJobsAsync("telegram");
        var published = await DrainAsync(events);

        Assert.Equal(["instagram", "whatsapp"], toAll.Channels);
        Assert.Equal([toAll.Id, toOne.Id], whatsapp.Select(j => j.MessageId));
        Assert.Equal([toAll.Id], instagram.Select(j => j.MessageId));
        Assert.Empty(telegram);
        var job = whatsapp[0];
        Assert.Equal(("whatsapp", conversation.Id, 1L, alice.Id, "to every channel"), (job.Channel, job.ConversationId, job.Seq, job.SenderId, job.Text));
        Assert.Equal(["message.sent", "message.sent", "message.sent"], published.Select(p => p.Event));
        var data = published[0].Body.GetProperty("data");
        Assert.Equal(toAll.Id.ToString(), data.GetProperty("messageId").GetString());
        Assert.Equal(conversation.Id.ToString(), data.GetProperty("conversationId").GetString());
        Assert.Equal(1, data.GetProperty("seq").GetInt64());
        Assert.Equal("c-1", data.GetProperty("clientMessageId").GetString());
        Assert.Equal(plain.Id.ToString(), published[2].Body.GetProperty("data").GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task A_send_that_fails_in_its_commit_leaves_no_message_no_job_no_event_and_no_gap()
    {
        var events = await SubscribeToSystemEventsAsync();
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);
        await Broker.EnsureQueueAsync(BrokerService.System, DeliveryJob.QueueFor("whatsapp")).WaitAsync(Timeout);
        var message = new NewMessage(Guid.CreateVersion7(), conversation.Id, alice.Id, "c-1", "doomed", [], null, ["whatsapp"],
            DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

        // The job is published first, then the event to a queue that does not exist fails the whole commit.
        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendMessageAsync(message, m =>
        [
            OutboxEntry.ToQueue(DeliveryJob.QueueFor("whatsapp"), new OutgoingMessage(new byte[] { 1 })),
            SystemEvents.Create(SystemEvents.MessageSent, new { m.Id }, m.CreatedAt),
            OutboxEntry.ToQueue("no-such-queue", new OutgoingMessage(new byte[] { 2 })),
        ]).WaitAsync(Timeout));
        var history = await Chat.ListMessagesAsync(alice, conversation.Id, null, null, null).WaitAsync(Timeout);
        var jobs = await DrainJobsAsync("whatsapp");
        var published = await DrainAsync(events);
        var next = await Chat.SendAsync(alice, conversation.Id, new SendMessage("c-1", "second try")).WaitAsync(Timeout);

        Assert.Empty(history);
        Assert.Empty(jobs);
        Assert.Empty(published);
        Assert.False(next.Duplicate);
        Assert.Equal(1, next.Message.Seq);
        Assert.Equal("second try", next.Message.Text);
    }

    [Fact]
    public async Task Refused_sends_publish_nothing()
    {
        var events = await SubscribeToSystemEventsAsync();
        var (alice, bob, mallory) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("mallory"));
        var conversation = await PrivateAsync(alice, bob);

        await FailsAsync(ErrorCodes.InvalidChannel, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "x", null, null, ["whatsapp", "telegram"])));
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.SendAsync(mallory, conversation.Id, new SendMessage(null, "x", null, null, ["whatsapp"])));
        await FailsAsync(ErrorCodes.TextTooLong, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, new string('x', 20_000), null, null, ["all"])));

        Assert.Empty(await DrainJobsAsync("whatsapp"));
        Assert.Empty(await DrainAsync(events));
    }
}
