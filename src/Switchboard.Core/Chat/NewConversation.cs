namespace Switchboard.Chat;

/// <summary>A conversation to insert with its first members.</summary>
/// <param name="PairKey">For a private conversation, <see cref="ChatNames.PairKey"/> of its two members: unique, so a pair has one.</param>
public sealed record NewConversation(Conversation Conversation, IReadOnlyList<ConversationMember> Members, string? PairKey);
