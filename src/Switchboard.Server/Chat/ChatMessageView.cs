using Switchboard.Chat;

namespace Switchboard.Server.Chat;

/// <summary>A stored message as REST and the hub show it. A deleted message is a tombstone: <see cref="DeletedAt"/> set, text and attachments empty.</summary>
public sealed class ChatMessageView
{
    public Guid Id { get; init; }

    public Guid ConversationId { get; init; }

    /// <summary>Position in the conversation, 1, 2, 3… without gaps.</summary>
    public long Seq { get; init; }

    /// <summary>The conversation's change number of this message's latest edit, delete or reaction; 0 when never changed.</summary>
    public long ChangeSeq { get; init; }

    public string SenderId { get; init; } = "";

    /// <summary>The sender's username; null when the sender is not a local user (a contact, whose sender id starts with contact:).</summary>
    public string? SenderUsername { get; init; }

    public string? ClientMessageId { get; init; }

    public string Text { get; init; } = "";

    public Guid[] Attachments { get; init; } = [];

    public Guid? ReplyTo { get; init; }

    public string[] Channels { get; init; } = [];

    /// <summary>Emoji → the users who reacted with it.</summary>
    public Dictionary<string, string[]> Reactions { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EditedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    /// <param name="senderUsernames">Sender id → username, from <c>ChatService.SenderUsernamesAsync</c>.</param>
    internal static ChatMessageView From(ChatMessage message, IReadOnlyDictionary<string, string> senderUsernames) => new()
    {
        Id = message.Id,
        ConversationId = message.ConversationId,
        Seq = message.Seq,
        ChangeSeq = message.ChangeSeq,
        SenderId = message.SenderId,
        SenderUsername = senderUsernames.GetValueOrDefault(message.SenderId),
        ClientMessageId = message.ClientMessageId,
        Text = message.Text,
        Attachments = [.. message.Attachments],
        ReplyTo = message.ReplyTo,
        Channels = [.. message.Channels],
        Reactions = message.Reactions.ToDictionary(r => r.Key, r => r.Value.ToArray(), StringComparer.Ordinal),
        CreatedAt = message.CreatedAt,
        EditedAt = message.EditedAt,
        DeletedAt = message.DeletedAt,
    };

    /// <summary>Views of <paramref name="messages"/>, their senders' usernames read in one pass.</summary>
    internal static async Task<ChatMessageView[]> FromAsync(ChatService chat, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var names = await chat.SenderUsernamesAsync(messages, cancellationToken);
        return [.. messages.Select(m => From(m, names))];
    }

    internal static async Task<ChatMessageView> FromAsync(ChatService chat, ChatMessage message, CancellationToken cancellationToken) =>
        From(message, await chat.SenderUsernamesAsync([message], cancellationToken));
}
