using Switchboard.Chat;
using Switchboard.Errors;

namespace Switchboard.Engine.Tests.Chat;

public abstract partial class ChatStoreConformance
{
    [Fact]
    public async Task Twenty_concurrent_retries_of_one_client_message_id_store_one_message()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Chat.SendAsync(alice, conversation.Id, new SendMessage("client-1", "hello", null, null, ["whatsapp"]))))).WaitAsync(Timeout);
        var again = await Chat.SendAsync(alice, conversation.Id, new SendMessage("client-1", "different text")).WaitAsync(Timeout);
        var bobsOwn = await Chat.SendAsync(bob, conversation.Id, new SendMessage("client-1", "bob's")).WaitAsync(Timeout);
        var history = await Chat.ListMessagesAsync(alice, conversation.Id, null, null, null).WaitAsync(Timeout);

        Assert.Single(results.Select(r => r.Message.Id).Distinct());
        Assert.Single(results, r => !r.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal("hello", again.Message.Text);
        Assert.Equal(results[0].Message.Id, again.Message.Id);
        Assert.False(bobsOwn.Duplicate);
        Assert.Equal([1L, 2L], history.Select(m => m.Seq));
        Assert.Single(await DrainJobsAsync("whatsapp"));
        Assert.Single(LiveEvents.Events, e => e.Kind == "MessageReceived" && ((ChatMessage)e.Payload).ClientMessageId == "client-1" && ((ChatMessage)e.Payload).SenderId == alice.Id);
    }

    [Fact]
    public async Task Concurrent_senders_get_gapless_increasing_seqs()
    {
        var users = await NewUsersAsync(4);
        var group = await GroupAsync(users[0], users[1], users[2], users[3]);

        var sent = await Task.WhenAll(users.SelectMany(u => Enumerable.Range(0, 15).Select(i => Task.Run(() =>
            Chat.SendAsync(u, group.Id, new SendMessage($"{u.Name}-{i}", $"message {i} from {u.Name}")))))).WaitAsync(Timeout);
        var all = await Chat.ListMessagesAsync(users[0], group.Id, null, 0, 200).WaitAsync(Timeout);
        var conversation = await Chat.GetAsync(users[0], group.Id).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), sent.Select(s => s.Message.Seq).Order());
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), all.Select(m => m.Seq));
        Assert.Equal(60, conversation.LastSeq);
        Assert.All(users, u => Assert.Equal(15, all.Count(m => m.SenderId == u.Id)));
    }

    [Fact]
    public async Task History_pages_backwards_with_before_and_forwards_with_after()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);
        for (var i = 1; i <= 25; i++)
        {
            await SendAsync(i % 2 == 0 ? alice : bob, conversation.Id, "m" + i);
        }

        var newest = await Chat.ListMessagesAsync(alice, conversation.Id, null, null, 10).WaitAsync(Timeout);
        var older = await Chat.ListMessagesAsync(alice, conversation.Id, newest[0].Seq, null, 10).WaitAsync(Timeout);
        var oldest = await Chat.ListMessagesAsync(alice, conversation.Id, older[0].Seq, null, 10).WaitAsync(Timeout);
        var forward = await Chat.ListMessagesAsync(alice, conversation.Id, null, 0, 10).WaitAsync(Timeout);
        var next = await Chat.ListMessagesAsync(alice, conversation.Id, null, forward[^1].Seq, 10).WaitAsync(Timeout);
        var between = await Chat.ListMessagesAsync(alice, conversation.Id, 8, 3, 10).WaitAsync(Timeout);
        var past = await Chat.ListMessagesAsync(alice, conversation.Id, null, 25, 10).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.ListMessagesAsync(alice, conversation.Id, null, null, 201));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.ListMessagesAsync(alice, conversation.Id, 0, null, 10));

        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), newest.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(6, 10).Select(i => (long)i), older.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), oldest.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), forward.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), next.Select(m => m.Seq));
        Assert.Equal([4L, 5L, 6L, 7L], between.Select(m => m.Seq));
        Assert.Empty(past);
        Assert.Equal("m25", newest[^1].Text);
    }

    [Fact]
    public async Task Edit_delete_and_react_advance_the_change_seq_and_stamp_the_message()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));
        var group = await GroupAsync(alice, bob, carol);
        var first = await SendAsync(alice, group.Id, "first");
        var second = await SendAsync(bob, group.Id, "second");

        var edited = await Chat.EditAsync(alice, group.Id, first.Id, "first, edited").WaitAsync(Timeout);
        var unchanged = await Chat.EditAsync(alice, group.Id, first.Id, "first, edited").WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.EditAsync(bob, group.Id, first.Id, "not yours"));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.EditAsync(alice, group.Id, first.Id, " "));
        var liked = await Chat.ReactAsync(bob, group.Id, first.Id, "👍", true).WaitAsync(Timeout);
        var likedTwice = await Chat.ReactAsync(bob, group.Id, first.Id, "👍", true).WaitAsync(Timeout);
        var likedByCarol = await Chat.ReactAsync(carol, group.Id, first.Id, "👍", true).WaitAsync(Timeout);
        var unliked = await Chat.ReactAsync(bob, group.Id, first.Id, "👍", false).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.ReactAsync(bob, group.Id, first.Id, "a b", true));
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.DeleteMessageAsync(carol, group.Id, second.Id));
        var deleted = await Chat.DeleteMessageAsync(alice, group.Id, second.Id).WaitAsync(Timeout);
        var deletedAgain = await Chat.DeleteMessageAsync(bob, group.Id, second.Id).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.ChatMessageNotFound, () => Chat.EditAsync(bob, group.Id, second.Id, "back"));
        await FailsAsync(ErrorCodes.ChatMessageNotFound, () => Chat.ReactAsync(bob, group.Id, second.Id, "👍", true));
        await FailsAsync(ErrorCodes.ChatMessageNotFound, () => Chat.EditAsync(alice, group.Id, Guid.NewGuid(), "x"));
        var conversation = await Chat.GetAsync(alice, group.Id).WaitAsync(Timeout);
        var stored = await Chat.ListMessagesAsync(carol, group.Id, null, null, null).WaitAsync(Timeout);

        Assert.Equal(1, edited.ChangeSeq);
        Assert.NotNull(edited.EditedAt);
        Assert.Equal(1, unchanged.ChangeSeq);
        Assert.Equal(2, liked.ChangeSeq);
        Assert.Equal(2, likedTwice.ChangeSeq);
        Assert.Equal([bob.Id, carol.Id], likedByCarol.Reactions["👍"]);
        Assert.Equal(3, likedByCarol.ChangeSeq);
        Assert.Equal([carol.Id], unliked.Reactions["👍"]);
        Assert.Equal(4, unliked.ChangeSeq);
        Assert.Equal(5, deleted.ChangeSeq);
        Assert.NotNull(deleted.DeletedAt);
        Assert.Equal("", deleted.Text);
        Assert.Equal(5, deletedAgain.ChangeSeq);
        Assert.Equal(5, conversation.LastChangeSeq);
        Assert.Equal(2, conversation.LastSeq);
        Assert.Equal("first, edited", stored[0].Text);
        Assert.Equal(4, stored[0].ChangeSeq);
        Assert.True(stored[1].DeletedAt is not null && stored[1].Text == "");
        Assert.Equal(5, LiveEvents.Events.Count(e => e.Kind == "MessageUpdated"));
    }

    [Fact]
    public async Task Read_and_delivered_watermarks_only_move_forward_and_count_unread()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(alice, conversation.Id, "m" + i);
        }

        var delivered = await Chat.MarkDeliveredAsync(bob, conversation.Id, 4).WaitAsync(Timeout);
        var read = await Chat.MarkReadAsync(bob, conversation.Id, 3).WaitAsync(Timeout);
        var backwards = await Chat.MarkReadAsync(bob, conversation.Id, 1).WaitAsync(Timeout);
        var deliveredBack = await Chat.MarkDeliveredAsync(bob, conversation.Id, 2).WaitAsync(Timeout);
        var beyond = await Chat.MarkReadAsync(bob, conversation.Id, 99).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.MarkReadAsync(bob, conversation.Id, -1));
        var members = await Chat.ListMembersAsync(alice, conversation.Id).WaitAsync(Timeout);
        var bobsList = await Chat.ListMineAsync(bob, null, null).WaitAsync(Timeout);
        var conversationNow = await Chat.GetAsync(bob, conversation.Id).WaitAsync(Timeout);

        Assert.Equal((0L, 4L), (delivered.ReadSeq, delivered.DeliveredSeq));
        Assert.Equal((3L, 4L), (read.ReadSeq, read.DeliveredSeq));
        Assert.Equal((3L, 4L), (backwards.ReadSeq, backwards.DeliveredSeq));
        Assert.Equal((3L, 4L), (deliveredBack.ReadSeq, deliveredBack.DeliveredSeq));
        Assert.Equal((5L, 5L), (beyond.ReadSeq, beyond.DeliveredSeq));
        var bobMember = members.Single(m => m.UserId == bob.Id);
        Assert.Equal((5L, 5L), (bobMember.ReadSeq, bobMember.DeliveredSeq));
        Assert.Equal(0, bobsList.Items[0].Unread);
        Assert.Equal(3, conversationNow.LastChangeSeq);
        Assert.Equal(3, LiveEvents.Events.Count(e => e.Kind == "ReadReceipt"));
    }

    [Fact]
    public async Task Text_attachments_reply_and_channels_are_validated_before_anything_is_stored()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);
        var mine = Files.Add(alice.Id);
        var bobs = Files.Add(bob.Id);
        var partial = Files.Add(alice.Id, complete: false);

        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "")));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "  \n ")));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(new string('c', 101), "x")));
        await FailsAsync(ErrorCodes.TextTooLong, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, new string('x', 16 * 1024 + 1))));
        // 16 KiB is counted in UTF-8 bytes: 5462 three-byte characters are 16386 bytes.
        await FailsAsync(ErrorCodes.TextTooLong, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, new string('€', 5462))));
        await FailsAsync(ErrorCodes.InvalidAttachment, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "x", [bobs.Id])));
        await FailsAsync(ErrorCodes.InvalidAttachment, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "x", [partial.Id])));
        await FailsAsync(ErrorCodes.InvalidAttachment, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "x", [Guid.NewGuid()])));
        await FailsAsync(ErrorCodes.ChatMessageNotFound, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "x", null, Guid.NewGuid())));
        await FailsAsync(ErrorCodes.InvalidChannel, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "x", null, null, ["telegram"])));
        await FailsAsync(ErrorCodes.InvalidChannel, () => Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "x", null, null, ["nope", "all"])));
        var withoutFiles = NewService(new ChatOptions(), null, null);
        await FailsAsync(ErrorCodes.InvalidAttachment, () => withoutFiles.SendAsync(alice, conversation.Id, new SendMessage(null, "x", [mine.Id])));
        Assert.Empty(await Chat.ListMessagesAsync(alice, conversation.Id, null, null, null).WaitAsync(Timeout));

        var max = await SendAsync(alice, conversation.Id, new string('x', 16 * 1024));
        var photo = (await Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "", [mine.Id], max.Id)).WaitAsync(Timeout)).Message;

        Assert.Equal(1, max.Seq);
        Assert.Equal([mine.Id], photo.Attachments);
        Assert.Equal(max.Id, photo.ReplyTo);
        Assert.Equal("", photo.Text);
    }

    [Fact]
    public async Task Members_may_read_files_attached_in_their_conversations_until_the_message_is_deleted()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));
        var conversation = await PrivateAsync(alice, bob);
        var file = Files.Add(alice.Id);
        var grant = new ChatFileGrant(Store);
        var message = (await Chat.SendAsync(alice, conversation.Id, new SendMessage(null, "see attached", [file.Id])).WaitAsync(Timeout)).Message;

        Assert.True(await grant.AllowsAsync(bob.Id, file.Id).WaitAsync(Timeout));
        Assert.True(await grant.AllowsAsync(alice.Id, file.Id).WaitAsync(Timeout));
        Assert.False(await grant.AllowsAsync(carol.Id, file.Id).WaitAsync(Timeout));
        Assert.False(await grant.AllowsAsync(bob.Id, Guid.NewGuid()).WaitAsync(Timeout));

        await Chat.DeleteMessageAsync(alice, conversation.Id, message.Id).WaitAsync(Timeout);
        Assert.False(await grant.AllowsAsync(bob.Id, file.Id).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_failing_live_push_never_fails_the_call()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var broken = new RecordingChatEvents { Fail = true };
        var chat = NewService(new ChatOptions(), broken, null);
        var conversation = (await chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, [bob.Id])).WaitAsync(Timeout)).Conversation;

        var sent = await chat.SendAsync(alice, conversation.Id, new SendMessage(null, "still sent")).WaitAsync(Timeout);
        await chat.EditAsync(alice, conversation.Id, sent.Message.Id, "still edited").WaitAsync(Timeout);
        await chat.MarkReadAsync(bob, conversation.Id, 1).WaitAsync(Timeout);

        Assert.Equal(["MessageReceived", "MessageUpdated", "ReadReceipt"], broken.Events.Select(e => e.Kind));
        Assert.Equal("still edited", (await chat.GetMessageAsync(bob, conversation.Id, sent.Message.Id).WaitAsync(Timeout)).Text);
        Assert.Equal("still edited", ((ChatMessage)broken.Events[1].Payload).Text);
    }
}
