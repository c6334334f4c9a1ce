namespace Switchboard.Chat;

/// <summary>A message to send.</summary>
/// <param name="ClientMessageId">The client's id for this message (at most 100 characters): a retry with the same id returns the first message.</param>
/// <param name="Text">1 to <c>Chat:MaxTextBytes</c> UTF-8 bytes; may be empty only when files are attached.</param>
/// <param name="Attachments">Ids of the sender's own completely uploaded files.</param>
/// <param name="ReplyTo">A message of the same conversation this one answers.</param>
/// <param name="Channels">Channel instances to deliver through as well, or <c>["all"]</c> for every enabled one.</param>
public sealed record SendMessage(
    string? ClientMessageId,
    string? Text,
    IReadOnlyList<Guid>? Attachments = null,
    Guid? ReplyTo = null,
    IReadOnlyList<string>? Channels = null);
