namespace Switchboard.Channels;

/// <summary>
/// Who a conversation's channel delivery goes to. Channels knows a conversation only by its id; the feature that owns
/// conversations (chat) answers, so the dependency points from chat to channels and never back.
/// </summary>
public interface IConversationRecipients
{
    /// <summary>The user ids of the conversation's members; empty when it does not exist.</summary>
    Task<IReadOnlyList<string>> ListAsync(Guid conversationId, CancellationToken cancellationToken = default);
}
