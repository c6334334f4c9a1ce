using System.Globalization;
using System.Text.Json;
using Switchboard.Channels;

namespace Switchboard.Server.Channels;

/// <summary>
/// Contacts' messages in the providers' webhook bodies. Only text is carried over; other kinds (images, stickers,
/// locations) arrive as their caption, or as a marker such as <c>[image]</c>, so the conversation shows that the
/// contact sent something.
/// </summary>
internal static class InboundMessages
{
    /// <summary>
    /// WhatsApp Cloud API: <c>entry[].changes[].value.messages[]</c> <c>{ from, id, timestamp, type, text: { body } }</c>,
    /// with the sender's profile name in <c>value.contacts[]</c> <c>{ wa_id, profile: { name } }</c>.
    /// </summary>
    public static List<InboundMessage> WhatsApp(string channel, JsonElement root)
    {
        var messages = new List<InboundMessage>();
        foreach (var value in WhatsAppValues(root))
        {
            var names = Each(value, "contacts")
                .Select(c => (Id: Text(c, "wa_id"), Name: Text(Property(c, "profile"), "name")))
                .Where(c => c.Id is not null)
                .GroupBy(c => c.Id!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
            foreach (var message in Each(value, "messages"))
            {
                var from = Text(message, "from");
                var id = Text(message, "id");
                if (from is null || id is null)
                {
                    continue;
                }
                var type = Text(message, "type") ?? "unknown";
                var text = type == "text" ? Text(Property(message, "text"), "body")
                    : Text(Property(message, type), "caption") ?? Text(Property(message, type), "title") ?? Text(Property(message, type), "text");
                messages.Add(new InboundMessage(new ChannelContact(channel, from), id, names.GetValueOrDefault(from),
                    string.IsNullOrEmpty(text) ? $"[{type}]" : text, Seconds(Text(message, "timestamp"))));
            }
        }
        return messages;
    }

    /// <summary>
    /// Instagram Messaging: <c>entry[].messaging[]</c> <c>{ sender: { id }, timestamp (ms), message: { mid, text, attachments } }</c>;
    /// echoes of the business's own messages (<c>is_echo</c>) are not from the contact.
    /// </summary>
    public static List<InboundMessage> Instagram(string channel, JsonElement root)
    {
        var messages = new List<InboundMessage>();
        foreach (var evt in Each(root, "entry").SelectMany(e => Each(e, "messaging")))
        {
            var message = Property(evt, "message");
            var sender = Text(Property(evt, "sender"), "id");
            var mid = Text(message, "mid");
            if (sender is null || mid is null || Flag(message, "is_echo") || Flag(message, "is_deleted"))
            {
                continue;
            }
            var text = Text(message, "text");
            if (string.IsNullOrEmpty(text))
            {
                text = $"[{Text(Each(message, "attachments").FirstOrDefault(), "type") ?? "attachment"}]";
            }
            var at = long.TryParse(Text(evt, "timestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow;
            messages.Add(new InboundMessage(new ChannelContact(channel, sender), mid, null, text, at));
        }
        return messages;
    }

    /// <summary>
    /// Telegram Bot API update: <c>{ update_id, message: { message_id, date, chat: { id }, from: { first_name, last_name, username }, text | caption } }</c>.
    /// The chat id is where replies go (<c>sendMessage</c>'s <c>chat_id</c>).
    /// </summary>
    public static List<InboundMessage> Telegram(string channel, JsonElement root)
    {
        var message = Property(root, "message");
        var chat = Text(Property(message, "chat"), "id");
        var id = Text(message, "message_id");
        if (chat is null || id is null)
        {
            return [];
        }
        var from = Property(message, "from");
        var name = string.Join(' ', new[] { Text(from, "first_name"), Text(from, "last_name") }.Where(p => !string.IsNullOrEmpty(p)));
        var text = Text(message, "text") ?? Text(message, "caption");
        if (string.IsNullOrEmpty(text))
        {
            var kind = new[] { "photo", "document", "sticker", "voice", "audio", "video", "location", "contact" }
                .FirstOrDefault(k => message.TryGetProperty(k, out _)) ?? "message";
            text = $"[{kind}]";
        }
        return [new InboundMessage(new ChannelContact(channel, chat), id, name.Length > 0 ? name : Text(from, "username"), text,
            Seconds(Text(message, "date")))];
    }

    /// <summary>The <c>entry[].changes[].value</c> objects of a WhatsApp webhook, which hold its statuses and messages.</summary>
    internal static IEnumerable<JsonElement> WhatsAppValues(JsonElement root) =>
        Each(root, "entry").SelectMany(e => Each(e, "changes")).Select(c => Property(c, "value"));

    private static DateTimeOffset Seconds(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.UtcNow;

    private static bool Flag(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    private static JsonElement Property(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value : default;

    internal static IEnumerable<JsonElement> Each(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    internal static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString()
            : value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? value.GetRawText()
            : null
            : null;
}
