namespace Switchboard.Files;

/// <summary>Keeps a client's declared content type only when it is a plain <c>type/subtype</c>.</summary>
public static class ContentTypes
{
    public const string Default = "application/octet-stream";

    public static string Sanitize(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return Default;
        }
        var value = contentType.Trim();
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            value = value[..semicolon].TrimEnd();
        }
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (value.Length > 127 || slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0 || !value.All(IsTokenChar))
        {
            return Default;
        }
        return value.ToLowerInvariant();
    }

    // RFC 9110 token characters, plus the slash between type and subtype.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '/' or '!' or '#' or '$' or '&' or '^' or '_' or '.' or '+' or '-';
}
