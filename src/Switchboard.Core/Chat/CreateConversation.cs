namespace Switchboard.Chat;

/// <summary>What a caller asks for when creating a conversation.</summary>
/// <param name="Members">
/// User ids besides the caller (the caller may be listed too): one other user for a private conversation, two or more
/// for a group; a room starts with its creator alone, others join.
/// </param>
/// <param name="Name">Required for a room; optional for a group; not allowed for a private conversation.</param>
public sealed record CreateConversation(
    ConversationKind Kind,
    IReadOnlyList<string>? Members = null,
    string? Name = null,
    string? Topic = null,
    string? Description = null);
