namespace Switchboard.Chat;

/// <param name="Duplicate">True when the client message id was seen before: <paramref name="Message"/> is the first one.</param>
public sealed record SendResult(ChatMessage Message, bool Duplicate);
