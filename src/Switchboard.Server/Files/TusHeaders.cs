using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using Switchboard.Errors;
using Switchboard.Files;

namespace Switchboard.Server.Files;

/// <summary>The tus 1.0 header names and their parsing; every failure is a 400 problem that names the header.</summary>
internal static class TusHeaders
{
    public const string Version = "1.0.0";
    public const string Resumable = "Tus-Resumable";
    public const string VersionHeader = "Tus-Version";
    public const string Extension = "Tus-Extension";
    public const string MaxSize = "Tus-Max-Size";
    public const string ChecksumAlgorithm = "Tus-Checksum-Algorithm";
    public const string UploadLength = "Upload-Length";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadMetadata = "Upload-Metadata";
    public const string UploadExpires = "Upload-Expires";
    public const string UploadChecksum = "Upload-Checksum";
    public const string UploadDeferLength = "Upload-Defer-Length";
    public const string OffsetContentType = "application/offset+octet-stream";

    /// <summary>What this server implements, for <c>Tus-Extension</c>.</summary>
    public const string Extensions = "creation,creation-with-upload,termination,expiration,checksum";

    public static long ParseLength(StringValues value, string header)
    {
        if (value.Count != 1 || !long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new SwitchboardException(ErrorCodes.BadRequest, $"{header} must be one non-negative integer number of bytes.");
        }
        return number;
    }

    public static bool IsOffsetStream(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(OffsetContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <c>Upload-Metadata</c>: comma-separated <c>key base64value</c> pairs (the value may be absent).
    /// Keys are unique ASCII without spaces or commas; values are base64 of UTF-8 text.
    /// </summary>
    public static Dictionary<string, string> ParseMetadata(StringValues header)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = string.Join(',', header.Where(v => !string.IsNullOrWhiteSpace(v)));
        if (text.Length == 0)
        {
            return metadata;
        }
        foreach (var pair in text.Split(','))
        {
            var parts = pair.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2 || !parts[0].All(c => c is > ' ' and < (char)127))
            {
                throw new SwitchboardException(ErrorCodes.BadRequest, $"{UploadMetadata} must be comma-separated 'key base64value' pairs; '{Shorten(pair)}' is not one.");
            }
            string value;
            try
            {
                value = parts.Length == 1 ? "" : new UTF8Encoding(false, true).GetString(Convert.FromBase64String(parts[1]));
            }
            catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
            {
                throw new SwitchboardException(ErrorCodes.BadRequest, $"{UploadMetadata}: the value of '{Shorten(parts[0])}' is not base64 of UTF-8 text.");
            }
            if (!metadata.TryAdd(parts[0], value))
            {
                throw new SwitchboardException(ErrorCodes.BadRequest, $"{UploadMetadata} names '{Shorten(parts[0])}' twice.");
            }
        }
        return metadata;
    }

    /// <summary>The metadata a HEAD repeats: what the upload was created with, after sanitizing.</summary>
    public static string FormatMetadata(StoredFile file)
    {
        var pairs = new List<string>
        {
            "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(file.Name)),
            "filetype " + Convert.ToBase64String(Encoding.UTF8.GetBytes(file.ContentType)),
        };
        if (file.ExpectedSha256 is not null)
        {
            pairs.Add("sha256 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(file.ExpectedSha256)));
        }
        return string.Join(',', pairs);
    }

    /// <summary>The request's declared upload, from <c>Upload-Length</c> and <c>Upload-Metadata</c>.</summary>
    public static FileUpload ParseCreation(HttpRequest request)
    {
        if (request.Headers.ContainsKey(UploadDeferLength))
        {
            throw new SwitchboardException(ErrorCodes.BadRequest, $"{UploadDeferLength} is not supported; send {UploadLength}.");
        }
        if (!request.Headers.TryGetValue(UploadLength, out var lengthHeader))
        {
            throw new SwitchboardException(ErrorCodes.BadRequest, $"{UploadLength} is required: the whole file's size in bytes.");
        }
        var length = ParseLength(lengthHeader, UploadLength);
        var metadata = ParseMetadata(request.Headers[UploadMetadata]);
        var name = First(metadata, "filename", "name");
        var contentType = First(metadata, "filetype", "contentType", "type");
        var sha256 = First(metadata, "sha256");
        return new FileUpload(length, name, contentType, string.IsNullOrEmpty(sha256) ? null : sha256);
    }

    public static string HttpDate(DateTimeOffset time) => time.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);

    private static string? First(Dictionary<string, string> metadata, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (metadata.TryGetValue(key, out var value))
            {
                return value;
            }
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
