using Switchboard.Channels;

namespace Switchboard.Notifications;

/// <summary>
/// A notification to send. <see cref="Channels"/> names instances, routes or <c>all</c>; <see cref="Route"/> names one
/// route. Each recipient maps an instance name or channel type (or <c>*</c>) to the address there. <see cref="Attachments"/>
/// go by URL with the text; <see cref="Template"/> replaces the text on channels that support templates (WhatsApp).
/// </summary>
public sealed record NotificationRequest(
    string? Title,
    string? Content,
    string? Severity,
    int? Priority,
    IReadOnlyList<string>? Channels,
    string? Route,
    IReadOnlyList<IReadOnlyDictionary<string, string>>? Recipients,
    string? DedupKey,
    int? CooldownSeconds,
    IReadOnlyList<ChannelAttachment>? Attachments = null,
    ChannelTemplate? Template = null);
