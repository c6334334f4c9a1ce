using Switchboard.Chat;

namespace Switchboard.Server.Chat;

/// <summary>Where a message's delivery through one channel stands (<c>MessageStatus</c>, sent to the sender only).</summary>
public sealed class MessageStatusView
{
    public Guid ConversationId { get; init; }

    public Guid MessageId { get; init; }

    public string Channel { get; init; } = "";

    /// <summary><c>accepted</c>, <c>queued</c>, <c>sent</c>, <c>delivered</c>, <c>read</c> or <c>failed</c>.</summary>
    public string Status { get; init; } = "";

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public DateTimeOffset At { get; init; }

    internal static MessageStatusView From(MessageStatusUpdate status) => new()
    {
        ConversationId = status.ConversationId,
        MessageId = status.MessageId,
        Channel = status.Channel,
        Status = status.Status,
        ErrorCode = status.ErrorCode,
        ErrorMessage = status.ErrorMessage,
        At = status.At,
    };
}
