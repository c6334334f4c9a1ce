using System.Globalization;
using System.Text;

namespace Switchboard.Files;

/// <summary>
/// Makes a client's file name safe to store and to echo in <c>Content-Disposition</c>. The name is only ever a
/// label (the bytes are stored under the file id), but a download's suggested name must not carry a path, a
/// control character that could split a header, or anything a browser would turn into a path.
/// </summary>
public static class FileNames
{
    public const int MaxLength = 255;

    public const string Fallback = "file";

    public static string Sanitize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fallback;
        }
        var builder = new StringBuilder(name.Length);
        foreach (var rune in name.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }
            // Path separators and characters Windows forbids in names; quotes would end a quoted header value.
            builder.Append(rune.Value is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' ? "_" : rune.ToString());
        }
        var safe = builder.ToString();
        while (safe.Contains("..", StringComparison.Ordinal))
        {
            safe = safe.Replace("..", "_", StringComparison.Ordinal);
        }
        safe = safe.Trim().Trim('.').Trim();
        if (safe.Length > MaxLength)
        {
            // Cut on a rune boundary, keeping the extension when it is short.
            var extension = Path.GetExtension(safe);
            var keep = extension.Length is > 0 and <= 16 ? extension : "";
            safe = Truncate(safe, MaxLength - keep.Length) + keep;
        }
        return safe.Length == 0 ? Fallback : safe;
    }

    private static string Truncate(string text, int max)
    {
        var end = max;
        if (end < text.Length && char.IsLowSurrogate(text[end]))
        {
            end--;
        }
        return text[..end];
    }
}
