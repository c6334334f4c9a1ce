using Switchboard.Chat;

namespace Switchboard.Server.Chat;

/// <summary>A member of a conversation with the member's read and delivered watermarks.</summary>
public sealed class MemberView
{
    public Guid ConversationId { get; init; }

    public string UserId { get; init; } = "";

    /// <summary><c>owner</c>, <c>admin</c> or <c>member</c>.</summary>
    public string Role { get; init; } = "";

    public DateTimeOffset JoinedAt { get; init; }

    public long ReadSeq { get; init; }

    public long DeliveredSeq { get; init; }

    internal static MemberView From(ConversationMember member) => new()
    {
        ConversationId = member.ConversationId,
        UserId = member.UserId,
        Role = ChatNames.Role(member.Role),
        JoinedAt = member.JoinedAt,
        ReadSeq = member.ReadSeq,
        DeliveredSeq = member.DeliveredSeq,
    };
}
