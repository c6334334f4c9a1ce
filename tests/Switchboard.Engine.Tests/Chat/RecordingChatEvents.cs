using Switchboard.Chat;

namespace Switchboard.Engine.Tests.Chat;

/// <summary>The live side as a list: what a client connected all along would have received, in order.</summary>
internal sealed class RecordingChatEvents : IChatEvents
{
    private readonly Lock _lock = new();
    private readonly List<(string Kind, ChatAudience Audience, object Payload)> _events = [];

    /// <summary>When set, every push throws after recording: a broken backplane.</summary>
    public bool Fail { get; set; }

    public IReadOnlyList<(string Kind, ChatAudience Audience, object Payload)> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    public Task MessageReceivedAsync(ChatAudience audience, ChatMessage message, CancellationToken cancellationToken = default) => Add("MessageReceived", audience, message);

    public Task MessageUpdatedAsync(ChatAudience audience, ChatMessage message, CancellationToken cancellationToken = default) => Add("MessageUpdated", audience, message);

    public Task UserJoinedAsync(ChatAudience audience, string userId, CancellationToken cancellationToken = default) => Add("UserJoined", audience, userId);

    public Task UserLeftAsync(ChatAudience audience, string userId, CancellationToken cancellationToken = default) => Add("UserLeft", audience, userId);

    public Task RoomUpdatedAsync(ChatAudience audience, Conversation conversation, bool deleted, CancellationToken cancellationToken = default) =>
        Add(deleted ? "RoomDeleted" : "RoomUpdated", audience, conversation);

    public Task ReadReceiptAsync(ChatAudience audience, ReadReceipt receipt, CancellationToken cancellationToken = default) => Add("ReadReceipt", audience, receipt);

    public Task MessageStatusAsync(string senderId, MessageStatusUpdate status, CancellationToken cancellationToken = default) =>
        Add("MessageStatus", new ChatAudience(status.ConversationId, ConversationKind.Private, [senderId]), status);

    private Task Add(string kind, ChatAudience audience, object payload)
    {
        lock (_lock)
        {
            _events.Add((kind, audience, payload));
        }
        return Fail ? Task.FromException(new InvalidOperationException("The backplane is down.")) : Task.CompletedTask;
    }
}
