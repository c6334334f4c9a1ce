using System.Buffers.Text;
using System.Text;
using Switchboard.Errors;

namespace Switchboard.Kv;

/// <summary>An opaque page cursor: the last key of the previous page, base64url-encoded.</summary>
internal static class KvCursor
{
    public static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            var key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
            if (KvNames.KeyProblem(key) is null)
            {
                return key;
            }
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            // Falls through to the validation error below.
        }
        throw SwitchboardException.Validation("cursor", "The cursor is not one this server returned; start again without it.");
    }
}
