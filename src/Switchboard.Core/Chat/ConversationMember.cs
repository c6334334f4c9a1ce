namespace Switchboard.Chat;

/// <param name="ReadSeq">The member's read watermark: every message up to this seq is read.</param>
/// <param name="DeliveredSeq">The member's delivered watermark (never below <paramref name="ReadSeq"/>).</param>
public sealed record ConversationMember(
    Guid ConversationId,
    string UserId,
    MemberRole Role,
    DateTimeOffset JoinedAt,
    long ReadSeq,
    long DeliveredSeq);
