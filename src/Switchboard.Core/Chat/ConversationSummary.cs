namespace Switchboard.Chat;

/// <summary>One of the caller's conversations as a list shows it.</summary>
/// <param name="Unread">Messages of others after the caller's read watermark.</param>
public sealed record ConversationSummary(Conversation Conversation, MemberRole Role, ChatMessage? Last, long Unread);
