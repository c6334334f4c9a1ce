namespace Switchboard.Chat;

/// <summary>
/// One message of a conversation. <see cref="Seq"/> orders messages without gaps; <see cref="ChangeSeq"/> is the
/// conversation's change number of the message's latest edit, delete or reaction (0 when never changed).
/// A deleted message stays as a tombstone: <see cref="DeletedAt"/> set, text and attachments emptied.
/// </summary>
public sealed record ChatMessage(
    Guid Id,
    Guid ConversationId,
    long Seq,
    long ChangeSeq,
    string SenderId,
    string? ClientMessageId,
    string Text,
    IReadOnlyList<Guid> Attachments,
    Guid? ReplyTo,
    IReadOnlyList<string> Channels,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Reactions,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    DateTimeOffset? DeletedAt);
