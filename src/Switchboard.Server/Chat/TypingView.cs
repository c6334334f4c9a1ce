namespace Switchboard.Server.Chat;

/// <summary>
/// <c>Typing</c>: <see cref="IsTyping"/> true while the user types (until <see cref="ExpiresAt"/> unless renewed),
/// false when they stopped: they sent the message, left, disconnected, or 5 s passed without another <c>Typing</c> call.
/// </summary>
public sealed class TypingView
{
    public Guid ConversationId { get; init; }

    public string UserId { get; init; } = "";

    public bool IsTyping { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }
}
