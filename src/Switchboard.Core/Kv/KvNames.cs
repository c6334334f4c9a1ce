using System.Globalization;
using System.Text;

namespace Switchboard.Kv;

/// <summary>What bucket names and keys may be.</summary>
internal static class KvNames
{
    public const int MaxBucketLength = 64;
    public const int MaxKeyBytes = 512;
    public const int MaxContentTypeLength = 255;

    /// <summary>1–64 characters of <c>A–Z a–z 0–9 . _ -</c>: safe in a URL path, a file name and a scope pattern.</summary>
    public static bool IsValidBucket(string? name) =>
        name is { Length: > 0 and <= MaxBucketLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Why <paramref name="key"/> is not a valid key (1–512 bytes of UTF-8, printable), or null when it is.</summary>
    public static string? KeyProblem(string? key, bool allowEmpty = false)
    {
        if (string.IsNullOrEmpty(key))
        {
            return allowEmpty ? null : "A key must not be empty.";
        }
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            return $"A key is at most {MaxKeyBytes} bytes of UTF-8.";
        }
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return "A key must be valid UTF-8 text.";
            }
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return $"A key must not contain control or invisible formatting characters (found U+{(int)c:X4} at {i}).";
            }
        }
        return null;
    }

    /// <summary>A media type as sent in Content-Type: printable ASCII, at most 255 characters.</summary>
    public static bool IsValidContentType(string contentType) =>
        contentType.Length is > 0 and <= MaxContentTypeLength && contentType.All(c => c is >= ' ' and <= '~');
}
