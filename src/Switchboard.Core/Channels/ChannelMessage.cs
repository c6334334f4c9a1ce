namespace Switchboard.Channels;

/// <summary>What a connector sends: one text (with an optional title) to one address on one instance.</summary>
/// <param name="DeliveryId">Stable across retries: sent as the idempotency key where the provider takes one.</param>
/// <param name="Recipient">The address on this channel; null for channels that post to a configured URL.</param>
public sealed record ChannelMessage(
    Guid DeliveryId,
    Guid? NotificationId,
    string Instance,
    string? Recipient,
    string? Title,
    string Text,
    string Severity);
