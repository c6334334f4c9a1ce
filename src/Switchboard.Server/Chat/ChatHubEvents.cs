using Microsoft.AspNetCore.SignalR;
using Switchboard.Chat;

namespace Switchboard.Server.Chat;

/// <summary>
/// Fans committed chat changes out to hub connections, through the backplane when there are several nodes. Private
/// and group conversations reach every member's connections (by user id, wherever they are connected); rooms reach the
/// connections that joined them.
/// </summary>
internal sealed class ChatHubEvents(IHubContext<ChatHub> hub, ChatSenderNames senderNames) : IChatEvents
{
    public async Task MessageReceivedAsync(ChatAudience audience, ChatMessage message, CancellationToken cancellationToken = default) =>
        await To(audience).SendAsync(ChatHub.Events.MessageReceived, await ViewAsync(message, cancellationToken), cancellationToken);

    public async Task MessageUpdatedAsync(ChatAudience audience, ChatMessage message, CancellationToken cancellationToken = default) =>
        await To(audience).SendAsync(ChatHub.Events.MessageUpdated, await ViewAsync(message, cancellationToken), cancellationToken);

    private async Task<ChatMessageView> ViewAsync(ChatMessage message, CancellationToken cancellationToken) =>
        ChatMessageView.From(message, await senderNames.ResolveAsync([message], cancellationToken));

    public Task UserJoinedAsync(ChatAudience audience, string userId, CancellationToken cancellationToken = default) =>
        To(audience).SendAsync(ChatHub.Events.UserJoined, new MembershipView { ConversationId = audience.ConversationId, UserId = userId }, cancellationToken);

    public Task UserLeftAsync(ChatAudience audience, string userId, CancellationToken cancellationToken = default) =>
        To(audience, alsoUser: userId).SendAsync(ChatHub.Events.UserLeft, new MembershipView { ConversationId = audience.ConversationId, UserId = userId }, cancellationToken);

    public Task RoomUpdatedAsync(ChatAudience audience, Conversation conversation, bool deleted, CancellationToken cancellationToken = default) =>
        To(audience).SendAsync(ChatHub.Events.RoomUpdated, new RoomUpdatedView { Conversation = ConversationView.From(conversation), Deleted = deleted }, cancellationToken);

    public Task ReadReceiptAsync(ChatAudience audience, ReadReceipt receipt, CancellationToken cancellationToken = default) =>
        To(audience).SendAsync(ChatHub.Events.ReadReceipt, ReadReceiptView.From(receipt), cancellationToken);

    public Task MessageStatusAsync(string senderId, MessageStatusUpdate status, CancellationToken cancellationToken = default) =>
        hub.Clients.User(senderId).SendAsync(ChatHub.Events.MessageStatus, MessageStatusView.From(status), cancellationToken);

    /// <param name="alsoUser">A member who just left a private or group conversation still hears that they left.</param>
    private IClientProxy To(ChatAudience audience, string? alsoUser = null)
    {
        if (audience.IsRoom)
        {
            return hub.Clients.Group(ChatHub.RoomGroup(audience.ConversationId));
        }
        var users = alsoUser is null || audience.Members.Contains(alsoUser, StringComparer.Ordinal)
            ? audience.Members
            : [.. audience.Members, alsoUser];
        return hub.Clients.Users(users);
    }
}
