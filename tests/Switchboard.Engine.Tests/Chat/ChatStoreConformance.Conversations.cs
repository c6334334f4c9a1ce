using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Errors;

namespace Switchboard.Engine.Tests.Chat;

public abstract partial class ChatStoreConformance
{
    [Fact]
    public async Task A_private_conversation_is_one_per_pair_whoever_creates_it()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));

        var first = await Chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, [bob.Id])).WaitAsync(Timeout);
        var again = await Chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, [bob.Id, alice.Id])).WaitAsync(Timeout);
        var fromBob = await Chat.CreateConversationAsync(bob, new CreateConversation(ConversationKind.Private, [alice.Id.ToUpperInvariant()])).WaitAsync(Timeout);
        var members = await Chat.ListMembersAsync(bob, first.Conversation.Id).WaitAsync(Timeout);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.False(fromBob.Created);
        Assert.Equal(first.Conversation.Id, again.Conversation.Id);
        Assert.Equal(first.Conversation.Id, fromBob.Conversation.Id);
        Assert.Equal(2, first.Conversation.MemberCount);
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), members.Select(m => m.UserId).Order());
    }

    [Fact]
    public async Task Concurrent_creates_of_one_private_pair_make_one_conversation()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => i % 2 == 0
            ? Chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, [bob.Id]))
            : Chat.CreateConversationAsync(bob, new CreateConversation(ConversationKind.Private, [alice.Id]))))).WaitAsync(Timeout);
        var mine = await Chat.ListMineAsync(alice, null, null).WaitAsync(Timeout);

        Assert.Single(results.Select(r => r.Conversation.Id).Distinct());
        Assert.Single(results, r => r.Created);
        Assert.Single(mine.Items);
        Assert.Equal(2, mine.Items[0].Conversation.MemberCount);
    }

    [Fact]
    public async Task A_private_conversation_needs_exactly_one_existing_other_user()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));

        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, [alice.Id])));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, [bob.Id, carol.Id])));
        await FailsAsync(ErrorCodes.UserNotFound, () => Chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, [Guid.NewGuid().ToString()])));
        await FailsAsync(ErrorCodes.UserNotFound, () => Chat.CreateConversationAsync(alice, new CreateConversation(ConversationKind.Private, ["not-a-user-id"])));
        var conversation = await PrivateAsync(alice, bob);
        await FailsAsync(ErrorCodes.MembershipFixed, () => Chat.AddMemberAsync(alice, conversation.Id, carol.Id));
        await FailsAsync(ErrorCodes.MembershipFixed, () => Chat.RemoveMemberAsync(alice, conversation.Id, alice.Id));
    }

    [Fact]
    public async Task Groups_have_3_up_to_the_limit_members_and_refuse_more()
    {
        var users = await NewUsersAsync(101);
        var owner = users[0];

        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Group, [users[1].Id])));
        await FailsAsync(ErrorCodes.TooManyMembers, () => Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Group, users.Skip(1).Select(u => u.Id).ToArray())));
        var three = await Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Group, [users[1].Id, users[2].Id])).WaitAsync(Timeout);
        var full = await Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Group, users.Skip(1).Take(99).Select(u => u.Id).ToArray(), "everyone"))
            .WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.TooManyMembers, () => Chat.AddMemberAsync(owner, full.Conversation.Id, users[100].Id));
        var members = await Chat.ListMembersAsync(owner, full.Conversation.Id).WaitAsync(Timeout);

        Assert.Equal(3, three.Conversation.MemberCount);
        Assert.Equal(100, full.Conversation.MemberCount);
        Assert.Equal(100, members.Count);
        Assert.Equal(MemberRole.Owner, members.Single(m => m.UserId == owner.Id).Role);
        Assert.Equal(100, (await Chat.GetAsync(owner, full.Conversation.Id).WaitAsync(Timeout)).MemberCount);
    }

    [Fact]
    public async Task Concurrent_adds_never_take_a_group_past_its_limit()
    {
        var users = await NewUsersAsync(12);
        var chat = NewService(new ChatOptions { MaxGroupMembers = 5 }, null, null);
        var group = (await chat.CreateConversationAsync(users[0], new CreateConversation(ConversationKind.Group, [users[1].Id, users[2].Id])).WaitAsync(Timeout)).Conversation;

        var outcomes = await Task.WhenAll(users.Skip(3).Select(u => Task.Run(async () =>
        {
            try
            {
                await chat.AddMemberAsync(users[0], group.Id, u.Id);
                return "added";
            }
            catch (SwitchboardException ex) when (ex.Error == ErrorCodes.TooManyMembers)
            {
                return "refused";
            }
        }))).WaitAsync(Timeout);

        Assert.Equal(2, outcomes.Count(o => o == "added"));
        Assert.Equal(5, (await chat.ListMembersAsync(users[0], group.Id).WaitAsync(Timeout)).Count);
        Assert.Equal(5, (await chat.GetAsync(users[0], group.Id).WaitAsync(Timeout)).MemberCount);
    }

    [Fact]
    public async Task Owners_and_admins_manage_a_group_members_may_only_leave()
    {
        var (owner, admin, member, other, newcomer) = (await NewUserAsync("owner"), await NewUserAsync("admin"), await NewUserAsync("member"),
            await NewUserAsync("other"), await NewUserAsync("newcomer"));
        var group = await GroupAsync(owner, admin, member, other);
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.AddMemberAsync(member, group.Id, newcomer.Id));
        await Chat.RemoveMemberAsync(owner, group.Id, admin.Id).WaitAsync(Timeout);
        await Chat.AddMemberAsync(owner, group.Id, admin.Id, MemberRole.Admin).WaitAsync(Timeout);

        await FailsAsync(ErrorCodes.Forbidden, () => Chat.UpdateAsync(member, group.Id, new UpdateConversation("renamed")));
        var renamed = await Chat.UpdateAsync(admin, group.Id, new UpdateConversation("renamed", "a topic")).WaitAsync(Timeout);
        await Chat.AddMemberAsync(admin, group.Id, newcomer.Id).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.AddMemberAsync(admin, group.Id, Guid.NewGuid().ToString(), MemberRole.Admin));
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.RemoveMemberAsync(member, group.Id, other.Id));
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.RemoveMemberAsync(admin, group.Id, owner.Id));
        await Chat.RemoveMemberAsync(admin, group.Id, other.Id).WaitAsync(Timeout);
        await Chat.RemoveMemberAsync(member, group.Id, member.Id).WaitAsync(Timeout);
        await Chat.RemoveMemberAsync(owner, group.Id, owner.Id).WaitAsync(Timeout);
        var members = await Chat.ListMembersAsync(admin, group.Id).WaitAsync(Timeout);

        Assert.Equal("renamed", renamed.Name);
        Assert.Equal("a topic", renamed.Topic);
        Assert.Equal(new[] { admin.Id, newcomer.Id }.Order(), members.Select(m => m.UserId).Order());
        Assert.Equal(MemberRole.Owner, members.Single(m => m.UserId == admin.Id).Role);
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.ListMessagesAsync(member, group.Id, null, null, null));
    }

    [Fact]
    public async Task Non_members_get_conversation_not_found_for_everything_of_a_private_or_group_conversation()
    {
        var (alice, bob, carol, mallory) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"), await NewUserAsync("mallory"));
        var conversation = await PrivateAsync(alice, bob);
        var group = await GroupAsync(alice, bob, carol);
        var message = await SendAsync(alice, conversation.Id, "secret");

        foreach (var id in new[] { conversation.Id, group.Id, Guid.NewGuid() })
        {
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.GetAsync(mallory, id));
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.ListMessagesAsync(mallory, id, null, null, null));
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.SyncAsync(mallory, id, 0, 0, null));
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.ListMembersAsync(mallory, id));
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.SendAsync(mallory, id, new SendMessage(null, "hi")));
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.MarkReadAsync(mallory, id, 1));
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.RequireMemberAsync(mallory, id));
            await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.SearchAsync(mallory, "secret", id, null, null));
            Assert.False(await Chat.CanJoinLiveAsync(mallory, id).WaitAsync(Timeout));
        }
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.GetMessageAsync(mallory, conversation.Id, message.Id));
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.EditAsync(mallory, conversation.Id, message.Id, "x"));
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.DeleteMessageAsync(mallory, conversation.Id, message.Id));
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.DeleteAsync(mallory, conversation.Id));
        // A server admin moderates groups, but a private conversation stays invisible to everyone outside it.
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.ListMessagesAsync(AdminCaller, conversation.Id, null, null, null));
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.DeleteAsync(AdminCaller, conversation.Id));
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.ListMessagesAsync(AdminCaller, group.Id, null, null, null));
        await Chat.DeleteAsync(AdminCaller, group.Id).WaitAsync(Timeout);
        Assert.True(await Chat.CanJoinLiveAsync(bob, conversation.Id).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Calls_without_chat_use_are_refused()
    {
        var alice = await NewUserAsync("alice");
        var reader = alice with { CredentialScopes = Switchboard.Identity.ScopeSet.Parse(["broker:consume:*"]) };

        await FailsAsync(ErrorCodes.InsufficientScope, () => Chat.ListMineAsync(reader, null, null));
        await FailsAsync(ErrorCodes.InsufficientScope, () => Chat.CreateConversationAsync(reader, new CreateConversation(ConversationKind.Room, null, "r")));
        await FailsAsync(ErrorCodes.InsufficientScope, () => Chat.SendAsync(reader, Guid.NewGuid(), new SendMessage(null, "x")));
        Assert.False(await Chat.CanJoinLiveAsync(reader, Guid.NewGuid()).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Rooms_are_public_to_list_join_read_and_leave_and_publish_their_system_events()
    {
        var events = await SubscribeToSystemEventsAsync();
        var (owner, guest) = (await NewUserAsync("owner"), await NewUserAsync("guest"));
        var room = await RoomAsync(owner, "lobby");
        await PrivateAsync(owner, guest);

        var listed = await Chat.ListRoomsAsync(guest, null, null).WaitAsync(Timeout);
        Assert.True(await Chat.CanJoinLiveAsync(guest, room.Id).WaitAsync(Timeout));
        await FailsAsync(ErrorCodes.NotAMember, () => Chat.SendAsync(guest, room.Id, new SendMessage(null, "hi")));
        var joined = await Chat.JoinRoomAsync(guest, room.Id).WaitAsync(Timeout);
        await Chat.JoinRoomAsync(guest, room.Id).WaitAsync(Timeout);
        await SendAsync(guest, room.Id, "hello room");
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.UpdateAsync(guest, room.Id, new UpdateConversation(null, "mine now")));
        await Chat.UpdateAsync(owner, room.Id, new UpdateConversation(null, "new topic", "")).WaitAsync(Timeout);
        await Chat.LeaveRoomAsync(guest, room.Id).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.NotAMember, () => Chat.LeaveRoomAsync(guest, room.Id));
        var history = await Chat.ListMessagesAsync(guest, room.Id, null, null, null).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.Forbidden, () => Chat.DeleteAsync(guest, room.Id));
        await Chat.DeleteAsync(owner, room.Id).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.ConversationNotFound, () => Chat.JoinRoomAsync(guest, room.Id));
        var published = await DrainAsync(events);

        Assert.Equal(room.Id, Assert.Single(listed.Items).Id);
        Assert.Equal(MemberRole.Member, joined.Role);
        Assert.Equal("hello room", Assert.Single(history).Text);
        Assert.Equal(["room.created", "user.joined.room", "message.sent", "room.updated", "user.left.room", "room.deleted"], published.Select(p => p.Event));
        Assert.Equal(room.Id.ToString(), published[0].Body.GetProperty("data").GetProperty("roomId").GetString());
        Assert.Equal("lobby", published[0].Body.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(guest.Id, published[1].Body.GetProperty("data").GetProperty("userId").GetString());
        Assert.Equal("new topic", published[3].Body.GetProperty("data").GetProperty("topic").GetString());
        Assert.Equal(JsonValueKind.Null, published[3].Body.GetProperty("data").GetProperty("description").ValueKind);
        Assert.Contains(LiveEvents.Events, e => e.Kind == "UserJoined" && (string)e.Payload == guest.Id && e.Audience.IsRoom);
        Assert.Contains(LiveEvents.Events, e => e.Kind == "UserLeft" && (string)e.Payload == guest.Id);
        Assert.Contains(LiveEvents.Events, e => e.Kind == "RoomUpdated" && ((Conversation)e.Payload).Topic == "new topic");
        Assert.Contains(LiveEvents.Events, e => e.Kind == "RoomDeleted" && ((Conversation)e.Payload).Id == room.Id);
    }

    [Fact]
    public async Task Rooms_need_a_name_and_start_with_their_creator_alone()
    {
        var (owner, other) = (await NewUserAsync("owner"), await NewUserAsync("other"));

        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Room)));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Room, null, "  ")));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Room, [other.Id], "r")));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Room, null, new string('n', 101))));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.CreateConversationAsync(owner, new CreateConversation((ConversationKind)42, null, "r")));
        var room = await RoomAsync(owner, "  general  ");
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.UpdateAsync(owner, room.Id, new UpdateConversation("")));

        Assert.Equal("general", room.Name);
        Assert.Equal(1, room.MemberCount);
    }

    [Fact]
    public async Task My_conversations_list_newest_activity_first_with_last_message_and_unread_count_and_pages()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));
        var withBob = await PrivateAsync(alice, bob);
        var withCarol = await PrivateAsync(alice, carol);
        var group = await GroupAsync(alice, bob, carol);
        await Task.Delay(5);
        await SendAsync(bob, withBob.Id, "one");
        await SendAsync(bob, withBob.Id, "two");
        await SendAsync(alice, withBob.Id, "mine");
        await Chat.MarkReadAsync(alice, withBob.Id, 1).WaitAsync(Timeout);

        var first = await Chat.ListMineAsync(alice, 2, null).WaitAsync(Timeout);
        var second = await Chat.ListMineAsync(alice, 2, first.NextCursor).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.ListMineAsync(alice, 2, "garbage!"));
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.ListMineAsync(alice, 0, null));

        Assert.Equal([withBob.Id, group.Id], first.Items.Select(i => i.Conversation.Id));
        Assert.NotNull(first.NextCursor);
        Assert.Equal([withCarol.Id], second.Items.Select(i => i.Conversation.Id));
        Assert.Null(second.NextCursor);
        Assert.Equal("mine", first.Items[0].Last!.Text);
        Assert.Equal(1, first.Items[0].Unread);
        Assert.Equal(MemberRole.Owner, first.Items[1].Role);
        Assert.Null(first.Items[1].Last);
        Assert.Equal(0, first.Items[1].Unread);
    }

    [Fact]
    public async Task Peers_are_the_users_sharing_a_private_or_group_conversation_and_the_audience_names_members()
    {
        var (alice, bob, carol, dave, erin) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"),
            await NewUserAsync("dave"), await NewUserAsync("erin"));
        var conversation = await PrivateAsync(alice, bob);
        await GroupAsync(alice, bob, carol);
        var room = await RoomAsync(alice);
        await Chat.JoinRoomAsync(erin, room.Id).WaitAsync(Timeout);

        var peers = await Chat.PeersOfAsync(alice.Id).WaitAsync(Timeout);
        var audience = await Chat.AudienceAsync(conversation.Id).WaitAsync(Timeout);
        var roomAudience = await Chat.AudienceAsync(room.Id).WaitAsync(Timeout);

        Assert.Equal(new[] { bob.Id, carol.Id }.Order(StringComparer.Ordinal), peers);
        Assert.DoesNotContain(dave.Id, peers);
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), audience!.Members.Order());
        Assert.True(roomAudience!.IsRoom);
        Assert.Empty(roomAudience.Members);
        Assert.Null(await Chat.AudienceAsync(Guid.NewGuid()).WaitAsync(Timeout));
    }
}
