namespace Switchboard.Chat;

/// <summary>A member's watermarks after a change: everything up to <paramref name="ReadSeq"/> is read.</summary>
public sealed record ReadReceipt(Guid ConversationId, string UserId, long ReadSeq, long DeliveredSeq, DateTimeOffset At);
