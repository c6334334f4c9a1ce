namespace Switchboard.Chat;

/// <summary>A validated message for the store; the store assigns its seq.</summary>
public sealed record NewMessage(
    Guid Id,
    Guid ConversationId,
    string SenderId,
    string? ClientMessageId,
    string Text,
    IReadOnlyList<Guid> Attachments,
    Guid? ReplyTo,
    IReadOnlyList<string> Channels,
    DateTimeOffset CreatedAt)
{
    public ChatMessage ToMessage(long seq) => new(
        Id, ConversationId, seq, 0, SenderId, ClientMessageId, Text, Attachments, ReplyTo, Channels,
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), CreatedAt, null, null);
}
