namespace Switchboard.Monitoring;

/// <summary>An HTTP status code or range, as an HTTP monitor's expected statuses name them (<c>200</c>, <c>200-299</c>).</summary>
public readonly record struct StatusRange(int From, int To)
{
    public static bool TryParse(string? text, out StatusRange range)
    {
        range = default;
        if (text is null)
        {
            return false;
        }
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], out var from) || from is < 100 or > 599)
        {
            return false;
        }
        var to = from;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out to) || to < from || to > 599))
        {
            return false;
        }
        range = new StatusRange(from, to);
        return true;
    }

    public bool Contains(int status) => status >= From && status <= To;
}
