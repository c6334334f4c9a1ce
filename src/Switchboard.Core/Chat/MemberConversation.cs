namespace Switchboard.Chat;

/// <summary>A row of a member's conversation list, with the last-activity time the list is ordered by.</summary>
public sealed record MemberConversation(ConversationSummary Summary, DateTimeOffset Activity);
