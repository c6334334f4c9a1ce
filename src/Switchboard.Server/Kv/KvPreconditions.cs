using System.Globalization;
using Microsoft.Extensions.Primitives;
using Switchboard.Errors;

namespace Switchboard.Server.Kv;

/// <summary>
/// HTTP conditional headers over KV revisions. A key's ETag is its revision in quotes (<c>"12"</c>):
/// <c>If-Match</c> with one such ETag is compare-and-set, <c>If-None-Match: *</c> is create-only, and on a
/// read <c>If-None-Match</c> listing the current ETag answers 304.
/// </summary>
internal static class KvPreconditions
{
    public static string ETag(long revision) => "\"" + revision.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>The expected revision of a write: null without a condition, 0 for create-only.</summary>
    public static long? ForWrite(HttpRequest request, bool allowCreateOnly)
    {
        var ifMatch = request.Headers.IfMatch;
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (!StringValues.IsNullOrEmpty(ifMatch) && !StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            throw Bad("Send either If-Match (compare-and-set) or If-None-Match: * (create only), not both.");
        }
        if (!StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            if (!allowCreateOnly || Tags(ifNoneMatch) is not ["*"])
            {
                throw Bad(allowCreateOnly
                    ? "On a write If-None-Match may only be *, meaning create the key only if it does not exist."
                    : "A delete takes If-Match with the key's ETag, not If-None-Match.");
            }
            return 0;
        }
        if (!StringValues.IsNullOrEmpty(ifMatch))
        {
            var tags = Tags(ifMatch);
            if (tags is not [var tag] || ParseRevision(tag) is not { } revision)
            {
                throw Bad("If-Match takes one ETag of the key as returned by the server, e.g. If-Match: \"12\".");
            }
            return revision;
        }
        return null;
    }

    /// <summary>Whether a read's If-None-Match names the current revision (weak comparison, as RFC 9110 asks).</summary>
    public static bool NotModified(HttpRequest request, long revision)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }
        foreach (var tag in Tags(ifNoneMatch))
        {
            if (tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? ParseRevision(tag[2..]) : ParseRevision(tag)) == revision)
            {
                return true;
            }
        }
        return false;
    }

    private static string[] Tags(StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    /// <summary>The revision in a strong ETag such as <c>"12"</c>; null for anything else.</summary>
    private static long? ParseRevision(string tag) =>
        tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
        && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) && revision > 0
            ? revision
            : null;

    private static SwitchboardException Bad(string detail) => new(ErrorCodes.BadRequest, detail);
}
