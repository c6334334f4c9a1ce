using Switchboard.Broker;

namespace Switchboard.Chat;

/// <summary>
/// Conversations, members, messages and receipts, one implementation per engine. Every write that changes a
/// conversation's log assigns its numbers (seq, changeSeq) in the same commit as the change, serialized per
/// conversation, and publishes the given outbox entries in that same commit. Validation and authorization belong to
/// <see cref="ChatService"/>; stores trust their arguments.
/// </summary>
public interface IChatStore
{
    /// <summary>
    /// Inserts the conversation and its members and publishes <paramref name="events"/>. When
    /// <see cref="NewConversation.PairKey"/> is taken, nothing is written and the existing conversation is returned.
    /// </summary>
    Task<ConversationCreated> CreateConversationAsync(NewConversation conversation, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default);

    Task<Conversation?> GetConversationAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The conversation of a private pair, if it exists.</summary>
    Task<Conversation?> FindPrivateAsync(string pairKey, CancellationToken cancellationToken = default);

    /// <summary>Changes name, topic and description (null keeps a field), publishes <paramref name="events"/>; null when absent.</summary>
    Task<Conversation?> UpdateConversationAsync(Guid id, UpdateConversation update, DateTimeOffset now, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default);

    /// <summary>Deletes the conversation with its members and messages, publishes <paramref name="events"/>; false when absent.</summary>
    Task<bool> DeleteConversationAsync(Guid id, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default);

    Task<ConversationMember?> GetMemberAsync(Guid conversationId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Members in the order they joined.</summary>
    Task<IReadOnlyList<ConversationMember>> ListMembersAsync(Guid conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the member unless the conversation would then have more than <paramref name="maxMembers"/>; publishes
    /// <paramref name="events"/> only when added.
    /// </summary>
    Task<MemberChange> AddMemberAsync(ConversationMember member, int maxMembers, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the member; when it was the owner, the longest-standing admin (else member) becomes owner. Publishes
    /// <paramref name="events"/> only when removed.
    /// </summary>
    Task<MemberChange> RemoveMemberAsync(Guid conversationId, string userId, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default);

    /// <summary>The user's conversations by last activity, newest first, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<MemberConversation>> ListForMemberAsync(string userId, ConversationCursor? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Rooms in creation order (by id), after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<Conversation>> ListRoomsAsync(Guid? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends the message with the conversation's next seq and publishes what <paramref name="events"/> returns for it,
    /// all in one commit. When the sender already sent <see cref="NewMessage.ClientMessageId"/> in this conversation,
    /// nothing is written and that message is returned as a duplicate. Null when the conversation is gone.
    /// </summary>
    Task<SendResult?> AppendMessageAsync(NewMessage message, Func<ChatMessage, IReadOnlyList<OutboxEntry>> events, CancellationToken cancellationToken = default);

    Task<ChatMessage?> GetMessageAsync(Guid conversationId, Guid messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Messages with seq above <paramref name="after"/> and below <paramref name="before"/>, ascending. Without
    /// <paramref name="after"/> the page is the newest ones below <paramref name="before"/>; with it, the oldest above.
    /// </summary>
    Task<IReadOnlyList<ChatMessage>> ListMessagesAsync(Guid conversationId, long? before, long? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="change"/> to the current message inside the commit. A non-null result is stored with the
    /// conversation's next changeSeq (text, attachments, reactions, edited and deleted times); null means no change.
    /// The function may throw to refuse. Returns null when the message does not exist.
    /// </summary>
    Task<MessageChanged?> ChangeMessageAsync(Guid conversationId, Guid messageId, Func<ChatMessage, ChatMessage?> change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the member's watermarks forward (never back, capped at the conversation's last seq, delivered never
    /// below read); when one moved, stamps the conversation's next changeSeq on the receipt. Null when not a member.
    /// </summary>
    Task<ReceiptChanged?> MoveWatermarksAsync(Guid conversationId, string userId, long? readSeq, long? deliveredSeq, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>One consistent snapshot of what changed after (<paramref name="afterSeq"/>, <paramref name="afterChangeSeq"/>).</summary>
    Task<SyncResult?> SyncAsync(Guid conversationId, long afterSeq, long afterChangeSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Live (not deleted) messages matching every word of <paramref name="words"/> in conversations where
    /// <paramref name="userId"/> is a member, newest first, before <paramref name="beforePosition"/>.
    /// </summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(string userId, IReadOnlyList<string> words, Guid? conversationId, long? beforePosition, int limit, CancellationToken cancellationToken = default);

    /// <summary>Distinct other members of the private and group conversations of <paramref name="userId"/>.</summary>
    Task<IReadOnlyList<string>> PeersOfAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="fileId"/> is attached to a live message of a conversation where the user is a member.</summary>
    Task<bool> IsAttachmentVisibleAsync(string userId, Guid fileId, CancellationToken cancellationToken = default);
}
