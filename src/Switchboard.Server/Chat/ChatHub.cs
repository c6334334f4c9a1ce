using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Switchboard.Chat;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Presence;
using Switchboard.Server.Identity;

namespace Switchboard.Server.Chat;

/// <summary>
/// Live chat at <c>/hubs/chat</c> (JSON and MessagePack): a thin adapter over <see cref="ChatService"/>, which checks
/// membership and validates input exactly as for REST. Errors reach the caller as <see cref="HubException"/> whose
/// message starts with the error code (<c>"conversation_not_found: …"</c>); the connection stays open.
/// </summary>
internal sealed class ChatHub(
    ChatService chat,
    PresenceTracker presence,
    ChatTyping typing,
    IOptionsMonitor<IdentityOptions> identityOptions) : Hub
{
    /// <summary>The server → client event names.</summary>
    public static class Events
    {
        public const string MessageReceived = nameof(MessageReceived);
        public const string MessageUpdated = nameof(MessageUpdated);
        public const string UserJoined = nameof(UserJoined);
        public const string UserLeft = nameof(UserLeft);
        public const string Typing = nameof(Typing);
        public const string Presence = nameof(Presence);
        public const string RoomUpdated = nameof(RoomUpdated);
        public const string ReadReceipt = nameof(ReadReceipt);
        public const string MessageStatus = nameof(MessageStatus);
    }

    /// <summary>The SignalR group of a room's joined connections.</summary>
    public static string RoomGroup(Guid conversationId) => "chat-room:" + conversationId.ToString("n");

    private Caller Caller => Context.Items[typeof(Caller)] as Caller
        ?? throw new HubException($"{ErrorCodes.Unauthorized.Code}: The connection has no authenticated caller.");

    public override async Task OnConnectedAsync()
    {
        var caller = CallerExtensions.FromPrincipal(Context.User ?? new(), identityOptions.CurrentValue);
        if (caller is null)
        {
            // The endpoint requires authentication, so this is a principal without a subject.
            Context.Abort();
            return;
        }
        if (!caller.Can(ChatService.Area, ChatService.Use))
        {
            throw new HubException($"{ErrorCodes.InsufficientScope.Code}: Chat needs the scope '{ChatService.Area}:{ChatService.Use}'.");
        }
        Context.Items[typeof(Caller)] = caller;
        await presence.ConnectedAsync(caller.Id, Context.ConnectionId, Context.ConnectionAborted);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await typing.ConnectionClosedAsync(Context.ConnectionId);
        await presence.DisconnectedAsync(Context.ConnectionId, CancellationToken.None);
    }

    /// <summary>
    /// Starts receiving a conversation's live events on this connection. A room is joined (as a member, if not yet) and
    /// its events follow on this connection; private and group conversations need membership, and their events reach
    /// every connection of their members anyway. Returns the conversation, whose <c>lastSeq</c>/<c>lastChangeSeq</c>
    /// tell whether a <c>Sync</c> is needed.
    /// </summary>
    public async Task<ConversationView> JoinRoom(string conversationId)
    {
        var caller = Caller;
        var id = ParseId(conversationId);
        var conversation = await chat.GetAsync(caller, id, Context.ConnectionAborted);
        if (conversation.Kind != ConversationKind.Room)
        {
            return ConversationView.From(conversation);
        }
        var group = RoomGroup(id);
        // In the group first, so the joiner hears its own UserJoined like everyone else.
        await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        try
        {
            await chat.JoinRoomAsync(caller, id, Context.ConnectionAborted);
        }
        catch
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group, CancellationToken.None);
            throw;
        }
        return ConversationView.From(await chat.GetAsync(caller, id, Context.ConnectionAborted));
    }

    /// <summary>Leaves a room: the membership ends and this connection stops receiving its events.</summary>
    public async Task LeaveRoom(string conversationId)
    {
        var caller = Caller;
        var id = ParseId(conversationId);
        var conversation = await chat.GetAsync(caller, id, Context.ConnectionAborted);
        if (conversation.Kind != ConversationKind.Room)
        {
            throw SwitchboardException.Validation("conversationId",
                "LeaveRoom is for rooms; to leave a group remove yourself with DELETE /v1/conversations/{id}/members/{userId}.");
        }
        await typing.StopAsync(Context.ConnectionId, id);
        await chat.LeaveRoomAsync(caller, id, Context.ConnectionAborted);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomGroup(id), CancellationToken.None);
    }

    /// <summary>Sends a message (the same rules as REST, including idempotency by <c>clientMessageId</c>); returns the stored message.</summary>
    public async Task<ChatMessageView> SendMessage(string conversationId, SendMessageInput? input)
    {
        var id = ParseId(conversationId);
        if (input is null)
        {
            throw SwitchboardException.Validation("input", "Send the message as an object with 'text' (and optionally 'clientMessageId', 'attachments', 'replyTo', 'channels').");
        }
        var result = await chat.SendAsync(Caller, id, ChatApi.ToSendMessage(input), Context.ConnectionAborted);
        await typing.StopAsync(Context.ConnectionId, id);
        return await ChatMessageView.FromAsync(chat, result.Message, Context.ConnectionAborted);
    }

    /// <summary>Says the caller is typing; call it while typing (every key press is fine: broadcasts are throttled to one per 2 s; it expires 5 s after the last call).</summary>
    public async Task Typing(string conversationId)
    {
        var caller = Caller;
        var id = ParseId(conversationId);
        if (!typing.Renew(Context.ConnectionId, id))
        {
            return;
        }
        await chat.RequireMemberAsync(caller, id, Context.ConnectionAborted);
        var audience = await chat.AudienceAsync(id, Context.ConnectionAborted) ?? throw ChatService.ConversationNotFound(id);
        await typing.StartAsync(Context.ConnectionId, caller.Id, audience);
    }

    /// <summary>Moves the caller's read watermark up to <paramref name="seq"/>; members hear a <c>ReadReceipt</c>.</summary>
    public async Task<ReadReceiptView> MarkRead(string conversationId, long seq) =>
        ReadReceiptView.From(await chat.MarkReadAsync(Caller, ParseId(conversationId), seq, Context.ConnectionAborted));

    /// <summary>Moves the caller's delivered watermark up to <paramref name="seq"/>.</summary>
    public async Task<ReadReceiptView> MarkDelivered(string conversationId, long seq) =>
        ReadReceiptView.From(await chat.MarkDeliveredAsync(Caller, ParseId(conversationId), seq, Context.ConnectionAborted));

    /// <summary>Everything after (<paramref name="afterSeq"/>, <paramref name="afterChangeSeq"/>); repeat from the answer's <c>nextSeq</c>/<c>lastChangeSeq</c> while <c>hasMore</c>.</summary>
    public async Task<SyncView> Sync(string conversationId, long afterSeq, long afterChangeSeq) =>
        await SyncView.FromAsync(chat, ParseId(conversationId),
            await chat.SyncAsync(Caller, ParseId(conversationId), afterSeq, afterChangeSeq, null, Context.ConnectionAborted), Context.ConnectionAborted);

    /// <summary><c>away</c> or <c>online</c> for this connection; the user is away when every connection is.</summary>
    public Task SetPresence(string? status) => status switch
    {
        "away" => presence.SetAwayAsync(Context.ConnectionId, away: true, Context.ConnectionAborted),
        "online" => presence.SetAwayAsync(Context.ConnectionId, away: false, Context.ConnectionAborted),
        _ => throw SwitchboardException.Validation("status", "status must be 'online' or 'away'."),
    };

    private static Guid ParseId(string? value) =>
        Guid.TryParse(value, out var id)
            ? id
            : throw new SwitchboardException(ErrorCodes.ConversationNotFound, $"'{value}' is not a conversation id.");
}
