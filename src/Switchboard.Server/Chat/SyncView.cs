using Switchboard.Chat;

namespace Switchboard.Server.Chat;

/// <summary>
/// What a client missed since (<c>afterSeq</c>, <c>afterChangeSeq</c>): apply <see cref="Messages"/> and
/// <see cref="Changed"/> by message id and <see cref="Receipts"/> by user, then continue from
/// (<see cref="NextSeq"/>, <see cref="LastChangeSeq"/>); while <see cref="HasMore"/>, sync again at once.
/// </summary>
public sealed class SyncView
{
    public Guid ConversationId { get; init; }

    /// <summary>Messages after <c>afterSeq</c>, in seq order, as they are now.</summary>
    public ChatMessageView[] Messages { get; init; } = [];

    /// <summary>Older messages edited, deleted or reacted to after <c>afterChangeSeq</c>.</summary>
    public ChatMessageView[] Changed { get; init; } = [];

    public ReadReceiptView[] Receipts { get; init; } = [];

    public long LastSeq { get; init; }

    public long LastChangeSeq { get; init; }

    public bool HasMore { get; init; }

    /// <summary>The <c>afterSeq</c> of the next sync.</summary>
    public long NextSeq { get; init; }

    internal static SyncView From(Guid conversationId, SyncResult result, IReadOnlyDictionary<string, string> senderUsernames) => new()
    {
        ConversationId = conversationId,
        Messages = [.. result.Messages.Select(m => ChatMessageView.From(m, senderUsernames))],
        Changed = [.. result.Changed.Select(m => ChatMessageView.From(m, senderUsernames))],
        Receipts = [.. result.Receipts.Select(ReadReceiptView.From)],
        LastSeq = result.LastSeq,
        LastChangeSeq = result.LastChangeSeq,
        HasMore = result.HasMore,
        NextSeq = result.NextSeq,
    };

    internal static async Task<SyncView> FromAsync(ChatService chat, Guid conversationId, SyncResult result, CancellationToken cancellationToken) =>
        From(conversationId, result, await chat.SenderUsernamesAsync([.. result.Messages, .. result.Changed], cancellationToken));
}
