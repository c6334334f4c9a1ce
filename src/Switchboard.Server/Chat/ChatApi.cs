using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Chat;
using Switchboard.Errors;
using Switchboard.Presence;
using Switchboard.Server.Identity;
using Switchboard.Server.Platform;
using Switchboard.Server.Presence;
using static Switchboard.Server.Chat.ChatContracts;

namespace Switchboard.Server.Chat;

/// <summary>
/// REST for conversations, rooms, messages, receipts, sync and search. Handlers only translate JSON to and
/// from <see cref="ChatService"/>, which demands <c>chat:use</c>, checks membership (a non-member gets
/// <c>conversation_not_found</c>, so existence is not leaked) and validates every field.
/// </summary>
internal static class ChatApi
{
    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder routes)
    {
        var conversations = routes.MapGroup("/v1/conversations").WithTags("Chat").RequireAuthorization()
            .ProducesErrors(ErrorCodes.ConversationNotFound, ErrorCodes.ChatMessageNotFound, ErrorCodes.NotAMember, ErrorCodes.TooManyMembers,
                ErrorCodes.MembershipFixed, ErrorCodes.TextTooLong, ErrorCodes.InvalidChannel, ErrorCodes.InvalidAttachment, ErrorCodes.UserNotFound,
                ErrorCodes.ChannelUnavailable);
        conversations.MapPost("", CreateAsync).WithName("CreateConversation")
            .WithSummary("Create a private conversation (201; 200 with the existing one for the same pair), a group or a room.");
        conversations.MapGet("", ListMineAsync).WithName("ListConversations").WithSummary("The caller's conversations, most recently active first, with the last message and unread count.");
        conversations.MapGet("/{id:guid}", GetAsync).WithName("GetConversation");
        conversations.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateConversation").WithSummary("Rename a group or room, or change its topic or description.");
        conversations.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteConversation");
        conversations.MapGet("/{id:guid}/members", ListMembersAsync).WithName("ListConversationMembers");
        conversations.MapPost("/{id:guid}/members", AddMemberAsync).WithName("AddConversationMember");
        conversations.MapDelete("/{id:guid}/members/{userId}", RemoveMemberAsync).WithName("RemoveConversationMember");
        conversations.MapPost("/{id:guid}/messages", SendAsync).WithName("SendChatMessage")
            .WithSummary("Send a message: 201 when new, 200 with the first message when the clientMessageId was seen before.");
        conversations.MapGet("/{id:guid}/messages", ListMessagesAsync).WithName("ListChatMessages")
            .WithSummary("History in seq order: the newest page, or before/after a seq (limit ≤ 200).");
        conversations.MapGet("/{id:guid}/messages/{messageId:guid}", GetMessageAsync).WithName("GetChatMessage");
        conversations.MapPatch("/{id:guid}/messages/{messageId:guid}", EditAsync).WithName("EditChatMessage").WithSummary("Change the text of one's own message.");
        conversations.MapDelete("/{id:guid}/messages/{messageId:guid}", DeleteMessageAsync).WithName("DeleteChatMessage")
            .WithSummary("Delete a message; it stays as a tombstone so every client's history matches.");
        conversations.MapPost("/{id:guid}/messages/{messageId:guid}/reactions", AddReactionAsync).WithName("AddChatReaction");
        conversations.MapDelete("/{id:guid}/messages/{messageId:guid}/reactions/{emoji}", RemoveReactionAsync).WithName("RemoveChatReaction");
        conversations.MapPost("/{id:guid}/read", MarkReadAsync).WithName("MarkConversationRead").WithSummary("Move the caller's read and/or delivered watermark.");
        conversations.MapGet("/{id:guid}/sync", SyncAsync).WithName("SyncConversation")
            .WithSummary("Everything after afterSeq/afterChangeSeq: new messages, edits, deletes, receipts.");

        var rooms = routes.MapGroup("/v1/rooms").WithTags("Chat").RequireAuthorization().ProducesErrors(ErrorCodes.ConversationNotFound);
        rooms.MapGet("", ListRoomsAsync).WithName("ListRooms").WithSummary("Public rooms, oldest first.");
        rooms.MapPost("/{id:guid}/join", JoinRoomAsync).WithName("JoinRoom");
        rooms.MapPost("/{id:guid}/leave", LeaveRoomAsync).WithName("LeaveRoom");

        var search = routes.MapGroup("/v1/search").WithTags("Chat").RequireAuthorization().ProducesErrors(ErrorCodes.ConversationNotFound);
        search.MapGet("/messages", SearchAsync).WithName("SearchChatMessages")
            .WithSummary("Full-text search over the messages the caller may see, newest first, optionally in one conversation.");
        var users = routes.MapGroup("/v1/users").WithTags("Chat").RequireAuthorization();
        users.MapGet("", FindUsersAsync).WithName("FindUsers")
            .WithSummary("The user directory for anyone who may chat: users whose username starts with q, with their presence (admins list every account at /v1/admin/users).");
        routes.MapChatHub();
        routes.MapPresenceApi();
        return routes;
    }

    internal static SendMessage ToSendMessage(SendMessageInput input) =>
        new(input.ClientMessageId, input.Text, input.Attachments, input.ReplyTo, input.Channels);

    private static async Task<Results<Created<ConversationView>, Ok<ConversationView>>> CreateAsync(
        CreateConversationRequest request, HttpContext context, ChatService chat, CancellationToken ct)
    {
        var result = await chat.CreateConversationAsync(context.GetCaller(), request.ToInput(), ct);
        var view = ConversationView.From(result.Conversation);
        return result.Created ? TypedResults.Created($"/v1/conversations/{view.Id}", view) : TypedResults.Ok(view);
    }

    private static async Task<Ok<Page<ConversationSummaryResponse>>> ListMineAsync(int? limit, string? cursor, HttpContext context, ChatService chat, CancellationToken ct)
    {
        var page = await chat.ListMineAsync(context.GetCaller(), limit, cursor, ct);
        var names = await chat.SenderUsernamesAsync(page.Items.Where(s => s.Last is not null).Select(s => s.Last!), ct);
        return TypedResults.Ok(new Page<ConversationSummaryResponse>(page.Items.Select(s => ConversationSummaryResponse.From(s, names)).ToArray(), page.NextCursor));
    }

    private static async Task<Ok<ConversationView>> GetAsync(Guid id, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(ConversationView.From(await chat.GetAsync(context.GetCaller(), id, ct)));

    private static async Task<Ok<ConversationView>> UpdateAsync(Guid id, UpdateConversationRequest request, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(ConversationView.From(await chat.UpdateAsync(context.GetCaller(), id, request.ToInput(), ct)));

    private static async Task<NoContent> DeleteAsync(Guid id, HttpContext context, ChatService chat, CancellationToken ct)
    {
        await chat.DeleteAsync(context.GetCaller(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MemberListResponse>> ListMembersAsync(Guid id, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(new MemberListResponse((await chat.ListMembersAsync(context.GetCaller(), id, ct)).Select(MemberView.From).ToArray()));

    private static async Task<Created<MemberView>> AddMemberAsync(Guid id, AddMemberRequest request, HttpContext context, ChatService chat, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.UserId))
        {
            throw SwitchboardException.Validation("userId", "userId is required: the id of the user to add.");
        }
        var member = await chat.AddMemberAsync(context.GetCaller(), id, request.UserId, request.ParseRole(), ct);
        return TypedResults.Created($"/v1/conversations/{id}/members/{Uri.EscapeDataString(member.UserId)}", MemberView.From(member));
    }

    private static async Task<NoContent> RemoveMemberAsync(Guid id, string userId, HttpContext context, ChatService chat, CancellationToken ct)
    {
        await chat.RemoveMemberAsync(context.GetCaller(), id, userId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<ChatMessageView>, Ok<ChatMessageView>>> SendAsync(
        Guid id, SendMessageInput request, HttpContext context, ChatService chat, CancellationToken ct)
    {
        var result = await chat.SendAsync(context.GetCaller(), id, ToSendMessage(request), ct);
        var view = await ChatMessageView.FromAsync(chat, result.Message, ct);
        return result.Duplicate ? TypedResults.Ok(view) : TypedResults.Created($"/v1/conversations/{id}/messages/{view.Id}", view);
    }

    private static async Task<Ok<MessageListResponse>> ListMessagesAsync(
        Guid id, long? before, long? after, int? limit, HttpContext context, ChatService chat, CancellationToken ct)
    {
        var messages = await chat.ListMessagesAsync(context.GetCaller(), id, before, after, limit, ct);
        return TypedResults.Ok(new MessageListResponse(await ChatMessageView.FromAsync(chat, messages, ct)));
    }

    private static async Task<Ok<ChatMessageView>> GetMessageAsync(Guid id, Guid messageId, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(await ChatMessageView.FromAsync(chat, await chat.GetMessageAsync(context.GetCaller(), id, messageId, ct), ct));

    private static async Task<Ok<ChatMessageView>> EditAsync(Guid id, Guid messageId, EditMessageRequest request, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(await ChatMessageView.FromAsync(chat, await chat.EditAsync(context.GetCaller(), id, messageId, request.Text, ct), ct));

    private static async Task<Ok<ChatMessageView>> DeleteMessageAsync(Guid id, Guid messageId, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(await ChatMessageView.FromAsync(chat, await chat.DeleteMessageAsync(context.GetCaller(), id, messageId, ct), ct));

    private static async Task<Ok<ChatMessageView>> AddReactionAsync(Guid id, Guid messageId, ReactionRequest request, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(await ChatMessageView.FromAsync(chat, await chat.ReactAsync(context.GetCaller(), id, messageId, request.Emoji ?? "", add: true, ct), ct));

    private static async Task<Ok<ChatMessageView>> RemoveReactionAsync(Guid id, Guid messageId, string emoji, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(await ChatMessageView.FromAsync(chat, await chat.ReactAsync(context.GetCaller(), id, messageId, emoji, add: false, ct), ct));

    private static async Task<Ok<ReadReceiptView>> MarkReadAsync(Guid id, ReadRequest request, HttpContext context, ChatService chat, CancellationToken ct)
    {
        if (request.ReadSeq is null && request.DeliveredSeq is null)
        {
            throw SwitchboardException.Validation("readSeq", "Send readSeq, deliveredSeq or both.");
        }
        var caller = context.GetCaller();
        ReadReceipt? receipt = null;
        if (request.DeliveredSeq is { } delivered)
        {
            receipt = await chat.MarkDeliveredAsync(caller, id, delivered, ct);
        }
        if (request.ReadSeq is { } read)
        {
            receipt = await chat.MarkReadAsync(caller, id, read, ct);
        }
        return TypedResults.Ok(ReadReceiptView.From(receipt!));
    }

    private static async Task<Ok<SyncView>> SyncAsync(
        Guid id, long? afterSeq, long? afterChangeSeq, int? limit, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(await SyncView.FromAsync(chat, id, await chat.SyncAsync(context.GetCaller(), id, afterSeq ?? 0, afterChangeSeq ?? 0, limit, ct), ct));

    private static async Task<Ok<Page<ConversationView>>> ListRoomsAsync(int? limit, string? cursor, HttpContext context, ChatService chat, CancellationToken ct)
    {
        var page = await chat.ListRoomsAsync(context.GetCaller(), limit, cursor, ct);
        return TypedResults.Ok(new Page<ConversationView>(page.Items.Select(ConversationView.From).ToArray(), page.NextCursor));
    }

    private static async Task<Ok<MemberView>> JoinRoomAsync(Guid id, HttpContext context, ChatService chat, CancellationToken ct) =>
        TypedResults.Ok(MemberView.From(await chat.JoinRoomAsync(context.GetCaller(), id, ct)));

    private static async Task<NoContent> LeaveRoomAsync(Guid id, HttpContext context, ChatService chat, CancellationToken ct)
    {
        await chat.LeaveRoomAsync(context.GetCaller(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<ChatMessageView>>> SearchAsync(
        [FromQuery] string? q, Guid? conversationId, int? limit, string? cursor, HttpContext context, ChatService chat, CancellationToken ct)
    {
        var page = await chat.SearchAsync(context.GetCaller(), q, conversationId, limit, cursor, ct);
        return TypedResults.Ok(new Page<ChatMessageView>(await ChatMessageView.FromAsync(chat, page.Items, ct), page.NextCursor));
    }

    private static async Task<Ok<DirectoryUserResponse[]>> FindUsersAsync(string? q, int? limit, HttpContext context, ChatService chat, PresenceTracker presence,
        CancellationToken ct)
    {
        var users = await chat.FindUsersAsync(context.GetCaller(), q, limit, ct);
        var found = new DirectoryUserResponse[users.Count];
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            found[i] = new DirectoryUserResponse(user.Id, user.Username, user.DisplayName, PresenceView.From(await presence.GetAsync(user.Id.ToString(), ct)));
        }
        return TypedResults.Ok(found);
    }
}
