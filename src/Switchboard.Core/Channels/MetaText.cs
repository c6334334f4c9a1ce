using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>Shared by the Meta connectors (WhatsApp, Instagram): message text and the Graph API error shape.</summary>
internal static class MetaText
{
    public static string Compose(ChannelMessage message) =>
        string.IsNullOrEmpty(message.Title) ? message.Text : $"*{message.Title}*\n{message.Text}";

    /// <summary><c>{ "error": { "code": 131026, … } }</c> → <c>meta_131026</c>.</summary>
    public static string? ErrorCode(JsonNode? body) =>
        body?["error"]?["code"] is JsonValue code ? $"meta_{code.ToJsonString()}" : null;
}
