namespace Switchboard.Channels;

/// <summary>
/// One message to one recipient through one route of channel instances. <see cref="Channel"/> is the instance it is
/// at now (the one that sent it, once sent); <see cref="Hop"/> its index in <see cref="Route"/>.
/// </summary>
/// <param name="Addresses">The recipient's address per instance name or channel type (<c>*</c> for any); empty for
/// channels that post to a configured URL.</param>
/// <param name="Attachments">Files sent with the text, by URL; null for none.</param>
/// <param name="Template">The provider template to send where the channel supports one; null to send the text.</param>
public sealed record Delivery(
    Guid Id,
    Guid? NotificationId,
    Guid? ConversationId,
    Guid? MessageId,
    string? SenderId,
    IReadOnlyList<string> Route,
    int Hop,
    IReadOnlyDictionary<string, string> Addresses,
    string? Title,
    string Text,
    string Severity,
    int Priority,
    string Status,
    string? ProviderId,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ChannelAttachment>? Attachments = null,
    ChannelTemplate? Template = null)
{
    public string Channel => Route[Hop];
}
