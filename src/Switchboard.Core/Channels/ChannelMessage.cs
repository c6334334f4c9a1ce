namespace Switchboard.Channels;

/// <summary>
/// What a connector sends: one text (with an optional title), its attachments and, for channels that support them, a
/// template, to one address on one instance.
/// </summary>
/// <param name="DeliveryId">Stable across retries: sent as the idempotency key where the provider takes one.</param>
/// <param name="Recipient">The address on this channel; null for channels that post to a configured URL.</param>
public sealed record ChannelMessage(
    Guid DeliveryId,
    Guid? NotificationId,
    string Instance,
    string? Recipient,
    string? Title,
    string Text,
    string Severity,
    IReadOnlyList<ChannelAttachment>? Attachments = null,
    ChannelTemplate? Template = null)
{
    public IReadOnlyList<ChannelAttachment> Files => Attachments ?? [];
}
