using Switchboard.Channels;

namespace Switchboard.Chat;

/// <param name="LastSeq">The sequence number of the newest message (0 when empty).</param>
/// <param name="LastChangeSeq">The newest change (edit, delete, reaction, receipt) number (0 when none).</param>
/// <param name="Contact">For a <see cref="ConversationKind.Contact"/> conversation, who it is with and through which channel.</param>
public sealed record Conversation(
    Guid Id,
    ConversationKind Kind,
    string? Name,
    string? Topic,
    string? Description,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long LastSeq,
    long LastChangeSeq,
    int MemberCount,
    ChannelContact? Contact = null);
