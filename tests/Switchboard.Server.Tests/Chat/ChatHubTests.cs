using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Presence;
using Switchboard.Server.Chat;
using Switchboard.Server.Presence;

namespace Switchboard.Server.Tests.Chat;

/// <summary>Real SignalR clients over real WebSockets against a real server, in JSON and in MessagePack.</summary>
public sealed class ChatHubTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = ChatHubClient.Timeout;

    private ChatFixture _chat = null!;

    public async Task InitializeAsync() => _chat = await ChatFixture.StartAsync();

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_users_chat_and_see_each_others_typing(bool messagePack)
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var conversation = await alice.CreateConversationAsync("private", null, bob.Id);
        await using var aliceHub = await _chat.ConnectAsync(alice, messagePack);
        await using var bobHub = await _chat.ConnectAsync(bob, messagePack);

        var sent = await aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", conversation.ToString(),
            new SendMessageInput { ClientMessageId = "hello-1", Text = "Hello Bob" }).WaitAsync(Timeout);
        var received = await bobHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == sent.Id);
        Assert.Equal("Hello Bob", received.Text);
        Assert.Equal(alice.Id, received.SenderId);
        Assert.Equal(1, received.Seq);

        var reply = await bobHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", conversation.ToString(),
            new SendMessageInput { Text = "Hi Alice" }).WaitAsync(Timeout);
        Assert.Equal(2, reply.Seq);
        Assert.Equal("Hi Alice", (await aliceHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == reply.Id)).Text);

        // Typing reaches the other member, not the typer, and ends by itself 5 s after the last call.
        await bobHub.Connection.InvokeAsync("Typing", conversation.ToString()).WaitAsync(Timeout);
        await bobHub.Connection.InvokeAsync("Typing", conversation.ToString()).WaitAsync(Timeout);
        var typing = await aliceHub.WaitForAsync<TypingView>("Typing", t => t.IsTyping);
        Assert.Equal(bob.Id, typing.UserId);
        Assert.Equal(conversation, typing.ConversationId);
        var stopped = await aliceHub.WaitForAsync<TypingView>("Typing", t => !t.IsTyping);
        Assert.Equal(bob.Id, stopped.UserId);
        Assert.Single(aliceHub.Received<TypingView>("Typing"), t => t.IsTyping);
        Assert.Empty(bobHub.Received<TypingView>("Typing"));

        // Sending ends the indicator at once.
        await aliceHub.Connection.InvokeAsync("Typing", conversation.ToString()).WaitAsync(Timeout);
        await bobHub.WaitForAsync<TypingView>("Typing", t => t.IsTyping && t.UserId == alice.Id);
        await aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", conversation.ToString(), new SendMessageInput { Text = "done" }).WaitAsync(Timeout);
        await bobHub.WaitForAsync<TypingView>("Typing", t => !t.IsTyping && t.UserId == alice.Id, TimeSpan.FromSeconds(3));

        var receipt = await bobHub.Connection.InvokeAsync<ReadReceiptView>("MarkRead", conversation.ToString(), 3L).WaitAsync(Timeout);
        Assert.Equal(3, receipt.ReadSeq);
        Assert.Equal(3, (await aliceHub.WaitForAsync<ReadReceiptView>("ReadReceipt", r => r.UserId == bob.Id && r.ReadSeq == 3)).ReadSeq);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Presence_follows_connections_and_away_across_devices(bool messagePack)
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        await alice.CreateConversationAsync("private", null, bob.Id);
        await using var aliceHub = await _chat.ConnectAsync(alice, messagePack);
        Assert.Equal("offline", (await alice.GetAsync($"v1/users/{bob.Id}/presence")).GetProperty("status").GetString());

        var bobPhone = await _chat.ConnectAsync(bob, messagePack);
        await aliceHub.WaitForAsync<PresenceView>("Presence", p => p.UserId == bob.Id && p.Status == "online");
        Assert.Equal("online", (await alice.GetAsync($"v1/users/{bob.Id}/presence")).GetProperty("status").GetString());

        // A second device: still online while either is active, away only when both are.
        await using var bobLaptop = await _chat.ConnectAsync(bob, messagePack);
        // The server answers the handshake before it registers the connection; its first call is handled after.
        await bobLaptop.Connection.InvokeAsync("SetPresence", "online").WaitAsync(Timeout);
        await bobPhone.Connection.InvokeAsync("SetPresence", "away").WaitAsync(Timeout);
        Assert.Equal("online", (await alice.GetAsync($"v1/users/{bob.Id}/presence")).GetProperty("status").GetString());
        await bobLaptop.Connection.InvokeAsync("SetPresence", "away").WaitAsync(Timeout);
        await aliceHub.WaitForAsync<PresenceView>("Presence", p => p.UserId == bob.Id && p.Status == "away");
        Assert.Equal("away", (await alice.GetAsync($"v1/users/{bob.Id}/presence")).GetProperty("status").GetString());

        await bobLaptop.Connection.InvokeAsync("SetPresence", "online").WaitAsync(Timeout);
        await bobPhone.DisposeAsync();
        // The client's dispose returns before the server has handled the disconnect; with the (away) phone still
        // counted, stopping the laptop would rightly report away first.
        await WaitForConnectionsAsync(2);
        await bobLaptop.Connection.StopAsync().WaitAsync(Timeout);
        var offline = await aliceHub.WaitForAsync<PresenceView>("Presence", p => p.UserId == bob.Id && p.Status == "offline");
        Assert.NotNull(offline.LastSeenAt);
        var rest = await alice.GetAsync($"v1/users/{bob.Id}/presence");
        Assert.Equal("offline", rest.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, rest.GetProperty("lastSeenAt").ValueKind);
        Assert.Equal(["online", "away", "online", "offline"],
            aliceHub.Received<PresenceView>("Presence").Where(p => p.UserId == bob.Id).Select(p => p.Status));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Joining_and_leaving_a_room_reach_the_connections_in_it(bool messagePack)
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var room = await alice.CreateConversationAsync("room", "lobby");
        await using var aliceHub = await _chat.ConnectAsync(alice, messagePack);
        await using var bobHub = await _chat.ConnectAsync(bob, messagePack);
        var joined = await aliceHub.Connection.InvokeAsync<ConversationView>("JoinRoom", room.ToString()).WaitAsync(Timeout);
        Assert.Equal("room", joined.Kind);
        Assert.Equal("lobby", joined.Name);

        var bobView = await bobHub.Connection.InvokeAsync<ConversationView>("JoinRoom", room.ToString()).WaitAsync(Timeout);
        Assert.Equal(2, bobView.MemberCount);
        Assert.Equal(room, (await aliceHub.WaitForAsync<MembershipView>("UserJoined", j => j.UserId == bob.Id)).ConversationId);

        await bobHub.Connection.InvokeAsync("Typing", room.ToString()).WaitAsync(Timeout);
        await aliceHub.WaitForAsync<TypingView>("Typing", t => t.IsTyping && t.UserId == bob.Id);
        var message = await bobHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", room.ToString(), new SendMessageInput { Text = "hi room" }).WaitAsync(Timeout);
        await aliceHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == message.Id);

        await bobHub.Connection.InvokeAsync("LeaveRoom", room.ToString()).WaitAsync(Timeout);
        await aliceHub.WaitForAsync<MembershipView>("UserLeft", l => l.UserId == bob.Id && l.ConversationId == room);

        // Bob's connection left the room's group: later messages no longer reach it.
        var after = await aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", room.ToString(), new SendMessageInput { Text = "bye" }).WaitAsync(Timeout);
        await aliceHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == after.Id);
        Assert.DoesNotContain(bobHub.Received<ChatMessageView>("MessageReceived"), m => m.Id == after.Id);

        var renamed = await alice.Http.PatchAsync($"v1/conversations/{room}", JsonContent.Create(new { topic = "general chat" }));
        await ChatFixture.ExpectAsync(renamed, HttpStatusCode.OK);
        Assert.Equal("general chat", (await aliceHub.WaitForAsync<RoomUpdatedView>("RoomUpdated")).Conversation.Topic);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_non_member_cannot_join_a_private_or_group_conversation(bool messagePack)
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var carol = await _chat.CreateUserAsync("carol");
        var mallory = await _chat.CreateUserAsync("mallory");
        var pair = await alice.CreateConversationAsync("private", null, bob.Id);
        var group = await alice.CreateConversationAsync("group", "team", bob.Id, carol.Id);
        await using var malloryHub = await _chat.ConnectAsync(mallory, messagePack);
        await using var bobHub = await _chat.ConnectAsync(bob, messagePack);

        foreach (var id in new[] { pair, group })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => malloryHub.Connection.InvokeAsync<ConversationView>("JoinRoom", id.ToString()).WaitAsync(Timeout));
            Assert.Contains("conversation_not_found: ", refused.Message, StringComparison.Ordinal);
            var typing = await Assert.ThrowsAsync<HubException>(() => malloryHub.Connection.InvokeAsync("Typing", id.ToString()).WaitAsync(Timeout));
            Assert.Contains("conversation_not_found: ", typing.Message, StringComparison.Ordinal);
            var sync = await Assert.ThrowsAsync<HubException>(() => malloryHub.Connection.InvokeAsync<SyncView>("Sync", id.ToString(), 0L, 0L).WaitAsync(Timeout));
            Assert.Contains("conversation_not_found: ", sync.Message, StringComparison.Ordinal);
        }

        // The refused connection still works, and a member joins fine.
        Assert.Equal("group", (await bobHub.Connection.InvokeAsync<ConversationView>("JoinRoom", group.ToString()).WaitAsync(Timeout)).Kind);
        var room = await alice.CreateConversationAsync("room", "open");
        Assert.Equal("room", (await malloryHub.Connection.InvokeAsync<ConversationView>("JoinRoom", room.ToString()).WaitAsync(Timeout)).Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bad_input_over_the_hub_is_a_coded_error_and_disturbs_no_one(bool messagePack)
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var conversation = await alice.CreateConversationAsync("private", null, bob.Id);
        await using var aliceHub = await _chat.ConnectAsync(alice, messagePack);
        await using var bobHub = await _chat.ConnectAsync(bob, messagePack);
        var id = conversation.ToString();

        async Task RefusedAsync(string code, Func<Task> call)
        {
            var error = await Assert.ThrowsAsync<HubException>(() => call().WaitAsync(Timeout));
            Assert.Contains($"{code}: ", error.Message, StringComparison.Ordinal);
        }

        await RefusedAsync("validation_failed", () => aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id, new SendMessageInput { Text = "" }));
        await RefusedAsync("validation_failed", () => aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id, new SendMessageInput { Text = "   " }));
        await RefusedAsync("text_too_long", () => aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id, new SendMessageInput { Text = new string('x', 16 * 1024 + 1) }));
        await RefusedAsync("validation_failed", () => aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id, (SendMessageInput?)null));
        await RefusedAsync("conversation_not_found", () => aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", Guid.NewGuid().ToString(), new SendMessageInput { Text = "hi" }));
        await RefusedAsync("conversation_not_found", () => aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", "not-an-id", new SendMessageInput { Text = "hi" }));
        await RefusedAsync("chat_message_not_found", () => aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id, new SendMessageInput { Text = "hi", ReplyTo = Guid.NewGuid() }));
        await RefusedAsync("validation_failed", () => aliceHub.Connection.InvokeAsync("SetPresence", "invisible"));
        await RefusedAsync("validation_failed", () => aliceHub.Connection.InvokeAsync("LeaveRoom", id));
        await RefusedAsync("conversation_not_found", () => aliceHub.Connection.InvokeAsync("MarkRead", Guid.NewGuid().ToString(), 1L));

        // Neither the caller's connection nor anyone else's was disturbed.
        var ok = await aliceHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id, new SendMessageInput { Text = "still here" }).WaitAsync(Timeout);
        Assert.Equal(1, ok.Seq);
        await bobHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == ok.Id);
        var answer = await bobHub.Connection.InvokeAsync<ChatMessageView>("SendMessage", id, new SendMessageInput { Text = "me too" }).WaitAsync(Timeout);
        await aliceHub.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == answer.Id);
        Assert.Equal(HubConnectionState.Connected, aliceHub.Connection.State);
        Assert.Equal(HubConnectionState.Connected, bobHub.Connection.State);
    }

    private async Task WaitForConnectionsAsync(int count)
    {
        var tracker = _chat.Server.Services.GetRequiredService<PresenceTracker>();
        var deadline = DateTime.UtcNow + Timeout;
        while (tracker.ConnectionCount != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The server still counts {tracker.ConnectionCount} connections, not {count}.");
            await Task.Delay(20);
        }
    }
}
