namespace Switchboard.Chat;

/// <summary>
/// Everything a client that knew a conversation up to (<c>afterSeq</c>, <c>afterChangeSeq</c>) missed. Apply
/// <see cref="Messages"/> and <see cref="Changed"/> by message id and <see cref="Receipts"/> by user, then continue
/// from (<see cref="NextSeq"/>, <see cref="LastChangeSeq"/>); while <see cref="HasMore"/>, sync again from there.
/// </summary>
/// <param name="Messages">Messages with a seq after <c>afterSeq</c>, in seq order, as they are now.</param>
/// <param name="Changed">Messages up to <c>afterSeq</c> edited, deleted or reacted to after <c>afterChangeSeq</c>.</param>
/// <param name="Receipts">Members whose watermarks moved after <c>afterChangeSeq</c>.</param>
/// <param name="LastSeq">The conversation's newest seq.</param>
/// <param name="LastChangeSeq">The conversation's newest change number, at the moment of this answer.</param>
/// <param name="HasMore">More new messages follow after the last of <see cref="Messages"/>.</param>
public sealed record SyncResult(
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<ChatMessage> Changed,
    IReadOnlyList<ReadReceipt> Receipts,
    long LastSeq,
    long LastChangeSeq,
    bool HasMore)
{
    /// <summary>The <c>afterSeq</c> for the next sync: the last message returned, or the conversation's newest.</summary>
    public long NextSeq => HasMore && Messages.Count > 0 ? Messages[^1].Seq : LastSeq;
}
