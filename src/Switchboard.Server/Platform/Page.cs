using Switchboard.Errors;

namespace Switchboard.Server.Platform;

/// <summary>
/// One page of a cursor-paginated list: <c>GET …?limit=50&amp;cursor=…</c> answers
/// <c>{ "items": [...], "nextCursor": "…" }</c>; <c>nextCursor</c> is null on the last page. Cursors are
/// opaque to clients.
/// </summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The page size to use for a <c>limit</c> query value; outside 1..500 is a 400 naming <c>limit</c>.</summary>
    public static int Limit(int? requested)
    {
        if (requested is null)
        {
            return DefaultLimit;
        }
        if (requested < 1 || requested > MaxLimit)
        {
            throw SwitchboardException.Validation("limit", $"limit must be between 1 and {MaxLimit} (default {DefaultLimit}).");
        }
        return requested.Value;
    }
}
