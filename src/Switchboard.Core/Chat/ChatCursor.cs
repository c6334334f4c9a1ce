using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Switchboard.Errors;

namespace Switchboard.Chat;

/// <summary>Opaque page cursors of chat lists: base64url of a short text the server wrote.</summary>
internal static class ChatCursor
{
    public static string Encode(string value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));

    public static string EncodeConversation(ConversationCursor cursor) =>
        Encode(cursor.Activity.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "|" + cursor.Id.ToString("N"));

    public static string EncodeRoom(Guid id) => Encode(id.ToString("N"));

    public static string EncodePosition(long position) => Encode(position.ToString(CultureInfo.InvariantCulture));

    public static ConversationCursor? DecodeConversation(string? cursor)
    {
        if (Decode(cursor) is not { } text)
        {
            return null;
        }
        var parts = text.Split('|');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && ms is >= 0 and <= 253402300799999
            && Guid.TryParseExact(parts[1], "N", out var id))
        {
            return new ConversationCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), id);
        }
        throw Invalid();
    }

    public static Guid? DecodeRoom(string? cursor) =>
        Decode(cursor) is not { } text ? null : Guid.TryParseExact(text, "N", out var id) ? id : throw Invalid();

    public static long? DecodePosition(string? cursor) =>
        Decode(cursor) is not { } text ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position > 0 ? position : throw Invalid();

    private static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            if (cursor.Length <= 200)
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
            }
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            // Falls through to the validation error.
        }
        throw Invalid();
    }

    private static SwitchboardException Invalid() =>
        SwitchboardException.Validation("cursor", "The cursor is not one this server returned; start again without it.");
}
