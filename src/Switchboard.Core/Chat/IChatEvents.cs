namespace Switchboard.Chat;

/// <summary>
/// The live side of chat: <c>ChatService</c> calls these after a change is durably committed; the server's hub
/// fans them out through the SignalR backplane (in-process on one node, Redis across nodes). Losing one of these is
/// never data loss: a client that missed it catches up with <c>Sync</c>.
/// </summary>
public interface IChatEvents
{
    Task MessageReceivedAsync(ChatAudience audience, ChatMessage message, CancellationToken cancellationToken = default);

    /// <summary>An edit, a delete (tombstone) or a reaction.</summary>
    Task MessageUpdatedAsync(ChatAudience audience, ChatMessage message, CancellationToken cancellationToken = default);

    Task UserJoinedAsync(ChatAudience audience, string userId, CancellationToken cancellationToken = default);

    Task UserLeftAsync(ChatAudience audience, string userId, CancellationToken cancellationToken = default);

    /// <summary>Renamed, topic or description changed, or deleted (<paramref name="deleted"/>).</summary>
    Task RoomUpdatedAsync(ChatAudience audience, Conversation conversation, bool deleted, CancellationToken cancellationToken = default);

    Task ReadReceiptAsync(ChatAudience audience, ReadReceipt receipt, CancellationToken cancellationToken = default);

    /// <summary>Reaches the sender's connections only.</summary>
    Task MessageStatusAsync(string senderId, MessageStatusUpdate status, CancellationToken cancellationToken = default);
}
