using Switchboard.Chat;
using Switchboard.Errors;

namespace Switchboard.Engine.Tests.Chat;

public abstract partial class ChatStoreConformance
{
    [Fact]
    public async Task A_client_that_syncs_after_missing_messages_edits_deletes_reactions_and_receipts_has_the_state_of_one_that_never_left()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));
        var group = await GroupAsync(alice, bob, carol);
        var stayer = new ChatClientState();
        var leaver = new ChatClientState();
        var seen = 0;
        void Follow()
        {
            // The client that never left applies every live event of this conversation, in order.
            var events = LiveEvents.Events;
            for (; seen < events.Count; seen++)
            {
                var (kind, audience, payload) = events[seen];
                if (audience.ConversationId != group.Id)
                {
                    continue;
                }
                switch (payload)
                {
                    case ChatMessage message when kind is "MessageReceived" or "MessageUpdated":
                        stayer.Apply(message);
                        break;
                    case ReadReceipt receipt:
                        stayer.Apply(receipt);
                        break;
                }
            }
        }

        var early = new List<ChatMessage>();
        for (var i = 0; i < 4; i++)
        {
            early.Add(await SendAsync(i % 2 == 0 ? alice : bob, group.Id, "early " + i));
        }
        await Chat.MarkReadAsync(bob, group.Id, 2).WaitAsync(Timeout);
        await Chat.ReactAsync(carol, group.Id, early[0].Id, "🎉", true).WaitAsync(Timeout);
        leaver.Apply(await Chat.SyncAsync(carol, group.Id, 0, 0, null).WaitAsync(Timeout));
        Follow();
        Assert.Equal(stayer.Describe(), leaver.Describe());

        // The leaver is gone: everything below only reaches the stayer live.
        var late = new List<ChatMessage>();
        for (var i = 0; i < 7; i++)
        {
            late.Add(await SendAsync(i % 3 == 0 ? carol : alice, group.Id, "late " + i));
        }
        await Chat.EditAsync(alice, group.Id, early[0].Id, "early 0, edited").WaitAsync(Timeout);
        await Chat.DeleteMessageAsync(bob, group.Id, early[1].Id).WaitAsync(Timeout);
        await Chat.EditAsync(alice, group.Id, late[1].Id, "late 1, edited").WaitAsync(Timeout);
        await Chat.DeleteMessageAsync(carol, group.Id, late[3].Id).WaitAsync(Timeout);
        await Chat.ReactAsync(bob, group.Id, early[2].Id, "👍", true).WaitAsync(Timeout);
        await Chat.ReactAsync(carol, group.Id, early[0].Id, "🎉", false).WaitAsync(Timeout);
        await Chat.ReactAsync(bob, group.Id, late[4].Id, "❤️", true).WaitAsync(Timeout);
        await Chat.MarkDeliveredAsync(alice, group.Id, 9).WaitAsync(Timeout);
        await Chat.MarkReadAsync(bob, group.Id, 11).WaitAsync(Timeout);
        await Chat.MarkReadAsync(carol, group.Id, 5).WaitAsync(Timeout);
        Follow();
        Assert.NotEqual(stayer.Describe(), leaver.Describe());

        // Back: sync in small pages until nothing more is missing.
        var rounds = 0;
        SyncResult sync;
        do
        {
            sync = await Chat.SyncAsync(carol, group.Id, leaver.Seq, leaver.ChangeSeq, 3).WaitAsync(Timeout);
            leaver.Apply(sync);
            rounds++;
        }
        while (sync.HasMore);
        var idle = await Chat.SyncAsync(carol, group.Id, leaver.Seq, leaver.ChangeSeq, null).WaitAsync(Timeout);

        Assert.Equal(stayer.Describe(), leaver.Describe());
        Assert.Equal(3, rounds);
        Assert.Equal(11, leaver.Seq);
        Assert.Empty(idle.Messages);
        Assert.Empty(idle.Changed);
        Assert.Empty(idle.Receipts);
        Assert.False(idle.HasMore);
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.SyncAsync(carol, group.Id, -1, 0, null));
    }

    [Fact]
    public async Task Sync_reports_changes_of_old_messages_once_and_new_messages_as_they_are_now()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);
        var old = await SendAsync(alice, conversation.Id, "old");
        var position = await Chat.SyncAsync(bob, conversation.Id, 0, 0, null).WaitAsync(Timeout);
        var fresh = await SendAsync(alice, conversation.Id, "fresh");
        await Chat.EditAsync(alice, conversation.Id, old.Id, "old, edited").WaitAsync(Timeout);
        await Chat.EditAsync(alice, conversation.Id, fresh.Id, "fresh, edited").WaitAsync(Timeout);

        var sync = await Chat.SyncAsync(bob, conversation.Id, position.NextSeq, position.LastChangeSeq, null).WaitAsync(Timeout);

        Assert.Equal(fresh.Id, Assert.Single(sync.Messages).Id);
        Assert.Equal("fresh, edited", sync.Messages[0].Text);
        Assert.Equal(old.Id, Assert.Single(sync.Changed).Id);
        Assert.Equal("old, edited", sync.Changed[0].Text);
        Assert.Equal((2L, 2L), (sync.LastSeq, sync.LastChangeSeq));
        Assert.Equal(2, sync.NextSeq);
    }
}
