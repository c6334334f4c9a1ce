namespace Switchboard.Chat;

/// <summary>
/// Where a message's delivery through one channel stands (<c>accepted → queued → sent → delivered → read</c>, or
/// <c>failed</c>), pushed live to the sender as <c>MessageStatus</c>.
/// </summary>
public sealed record MessageStatusUpdate(
    Guid ConversationId,
    Guid MessageId,
    string Channel,
    string Status,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset At);
