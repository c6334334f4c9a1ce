using System.Text.Json;
using Switchboard.Channels;
using Switchboard.Errors;
using Switchboard.Notifications;
using Switchboard.Server.Channels;

namespace Switchboard.Server.Notifications;

/// <summary>The JSON shapes of the notifications API.</summary>
internal static class NotificationContracts
{
    /// <summary>
    /// <c>recipients</c>: each a string (the address on every channel) or an object mapping instance names or channel
    /// types to addresses, e.g. <c>{ "whatsapp": "15551234567", "email": "ops@example.com" }</c>.
    /// </summary>
    public sealed record NotificationRequestBody(
        string? Title,
        string? Content,
        string? Severity,
        int? Priority,
        IReadOnlyList<string>? Channels,
        string? Route,
        IReadOnlyList<JsonElement>? Recipients,
        string? DedupKey,
        int? CooldownSeconds,
        IReadOnlyList<AttachmentBody?>? Attachments = null,
        TemplateBody? Template = null)
    {
        public NotificationRequest ToRequest(string prefix) => new(Title, Content, Severity, Priority, Channels, Route,
            Recipients?.Select((r, i) => ToAddresses(r, $"{prefix}recipients[{i}]")).ToArray(), DedupKey, CooldownSeconds,
            Attachments?.Select(a => a is null ? null! : new ChannelAttachment(a.Url ?? "", a.MimeType, a.FileName, a.Caption)).ToArray(),
            Template is null ? null : new ChannelTemplate(Template.Name ?? "", Template.Language ?? "", Template.Parameters ?? []));

        private static IReadOnlyDictionary<string, string> ToAddresses(JsonElement recipient, string field)
        {
            if (recipient.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(recipient.GetString()))
            {
                return new Dictionary<string, string>(StringComparer.Ordinal) { ["*"] = recipient.GetString()! };
            }
            if (recipient.ValueKind == JsonValueKind.Object)
            {
                var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in recipient.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(property.Value.GetString()))
                    {
                        throw SwitchboardException.Validation(field, $"{field}.{property.Name} must be a non-empty string address.");
                    }
                    addresses[property.Name] = property.Value.GetString()!;
                }
                if (addresses.Count > 0)
                {
                    return addresses;
                }
            }
            throw SwitchboardException.Validation(field, $"{field} must be an address or an object of addresses by channel.");
        }
    }

    /// <summary>A file by URL: the providers fetch it, so it must be an absolute public http(s) URL.</summary>
    public sealed record AttachmentBody(string? Url, string? MimeType, string? FileName, string? Caption);

    /// <summary>A provider template (WhatsApp): its name, language code and body parameters in order.</summary>
    public sealed record TemplateBody(string? Name, string? Language, IReadOnlyList<string>? Parameters);

    public sealed record NotificationBatchBody(IReadOnlyList<NotificationRequestBody>? Notifications);

    public sealed record NotificationAcceptedResponse(Guid Id, bool Suppressed, Guid? DuplicateOf, IReadOnlyList<ChannelContracts.DeliveryResponse> Deliveries)
    {
        public static NotificationAcceptedResponse From(NotificationAccepted a) =>
            new(a.Id, a.Suppressed, a.DuplicateOf, a.Deliveries.Select(d => ChannelContracts.DeliveryResponse.From(d)).ToArray());
    }

    public sealed record NotificationBatchResponse(IReadOnlyList<NotificationAcceptedResponse> Results);

    public sealed record NotificationResponse(
        Guid Id,
        string Title,
        string Content,
        string Severity,
        int Priority,
        string? DedupKey,
        DateTimeOffset CreatedAt,
        string? NotSentReason,
        IReadOnlyList<ChannelContracts.DeliveryResponse> Deliveries,
        IReadOnlyList<AttachmentBody> Attachments,
        TemplateBody? Template)
    {
        public static NotificationResponse From(NotificationDetails details)
        {
            var n = details.Notification;
            var byDelivery = details.Attempts.ToLookup(a => a.DeliveryId);
            var content = details.Deliveries.FirstOrDefault();
            return new NotificationResponse(n.Id, n.Title, n.Content, n.Severity, n.Priority, n.DedupKey, n.CreatedAt, details.NotSentReason,
                details.Deliveries.Select(d => ChannelContracts.DeliveryResponse.From(d, byDelivery[d.Id])).ToArray(),
                // Every delivery of a notification carries the same content.
                content?.Attachments?.Select(a => new AttachmentBody(a.Url, a.MimeType, a.FileName, a.Caption)).ToArray() ?? [],
                content?.Template is { } t ? new TemplateBody(t.Name, t.Language, t.Parameters) : null);
        }
    }

    internal static IEnumerable<Delivery> None => [];
}
