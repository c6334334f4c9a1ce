namespace Switchboard.Channels;

/// <summary>
/// A file sent with a message, by URL: the providers fetch it themselves, so it must be an absolute public http(s) URL.
/// <see cref="Kind"/> decides how each provider carries it (WhatsApp <c>image</c>, Instagram <c>file</c>, Telegram <c>sendPhoto</c>…).
/// </summary>
public sealed record ChannelAttachment(string Url, string? MimeType = null, string? FileName = null, string? Caption = null)
{
    public const string Image = "image";
    public const string Video = "video";
    public const string Audio = "audio";
    public const string Document = "document";

    /// <summary>image, video, audio or document: from the MIME type, else from the file name's or URL's extension.</summary>
    public string Kind => KindOf(MimeType) ?? KindOfExtension(FileName) ?? KindOfExtension(Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : null)
        ?? Document;

    /// <summary>The name a recipient sees: the file name, else the last segment of the URL's path.</summary>
    public string DisplayName
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(FileName))
            {
                return FileName;
            }
            var segment = Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? Uri.UnescapeDataString(uri.Segments[^1]).Trim('/') : "";
            return segment.Length > 0 ? segment : Url;
        }
    }

    private static string? KindOf(string? mimeType)
    {
        var type = mimeType?.Split('/', 2)[0].Trim().ToLowerInvariant();
        return type switch
        {
            "image" => Image,
            "video" => Video,
            "audio" => Audio,
            null or "" => null,
            _ => Document,
        };
    }

    private static string? KindOfExtension(string? name) => Path.GetExtension(name ?? "").ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" or ".png" or ".gif" or ".webp" => Image,
        ".mp4" or ".3gp" or ".mov" or ".webm" => Video,
        ".mp3" or ".ogg" or ".opus" or ".aac" or ".m4a" or ".amr" or ".wav" => Audio,
        "" => null,
        _ => Document,
    };
}
