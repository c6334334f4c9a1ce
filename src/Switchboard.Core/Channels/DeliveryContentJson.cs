using System.Text.Json;

namespace Switchboard.Channels;

/// <summary>
/// The JSON both engines store a delivery's attachments and template as (camelCase, the API's shape), so a retry or a
/// replay sends exactly what was accepted. Null stands for none.
/// </summary>
public static class DeliveryContentJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Attachments(IReadOnlyList<ChannelAttachment>? attachments) =>
        attachments is { Count: > 0 } ? JsonSerializer.Serialize(attachments.Select(a => new Stored(a.Url, a.MimeType, a.FileName, a.Caption)), Json) : null;

    public static string? Template(ChannelTemplate? template) => template is null ? null : JsonSerializer.Serialize(template, Json);

    public static IReadOnlyList<ChannelAttachment>? ReadAttachments(string json) =>
        JsonSerializer.Deserialize<Stored[]>(json, Json) is { Length: > 0 } stored
            ? stored.Select(a => new ChannelAttachment(a.Url, a.MimeType, a.FileName, a.Caption)).ToArray()
            : null;

    public static ChannelTemplate? ReadTemplate(string json) =>
        JsonSerializer.Deserialize<ChannelTemplate>(json, Json) is { } t ? t with { Parameters = t.Parameters ?? [] } : null;

    // Only the given fields: Kind and DisplayName are derived, not stored.
    private sealed record Stored(string Url, string? MimeType, string? FileName, string? Caption);
}
