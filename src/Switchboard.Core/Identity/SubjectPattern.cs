namespace Switchboard.Identity;

/// <summary>
/// Dot-separated subjects with NATS-style wildcards: <c>*</c> matches exactly one token,
/// <c>&gt;</c> (last token only) matches one or more tokens. Used by scopes and topic subscriptions.
/// </summary>
public static class SubjectPattern
{
    public static bool IsValid(string pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > 256)
        {
            return false;
        }
        var tokens = pattern.Split('.');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Length == 0 || token.Any(char.IsWhiteSpace))
            {
                return false;
            }
            if (token == ">" && i != tokens.Length - 1)
            {
                return false;
            }
            if (token.Length > 1 && (token.Contains('*') || token.Contains('>')))
            {
                return false;
            }
        }
        return true;
    }

    public static bool Matches(string pattern, string subject)
    {
        var p = pattern.AsSpan();
        var s = subject.AsSpan();
        while (true)
        {
            var pEnd = p.IndexOf('.');
            var pToken = pEnd < 0 ? p : p[..pEnd];
            if (pToken is ">")
            {
                return s.Length > 0;
            }
            if (s.Length == 0)
            {
                return false;
            }
            var sEnd = s.IndexOf('.');
            var sToken = sEnd < 0 ? s : s[..sEnd];
            if (!(pToken is "*" || pToken.SequenceEqual(sToken)))
            {
                return false;
            }
            if (pEnd < 0 || sEnd < 0)
            {
                return pEnd < 0 && sEnd < 0;
            }
            p = p[(pEnd + 1)..];
            s = s[(sEnd + 1)..];
        }
    }

    /// <summary>Whether every subject matched by <paramref name="inner"/> is also matched by <paramref name="outer"/>.</summary>
    public static bool Covers(string outer, string inner)
    {
        var o = outer.Split('.');
        var n = inner.Split('.');
        for (var i = 0; i < o.Length; i++)
        {
            if (o[i] == ">")
            {
                return n.Length > i;
            }
            if (i >= n.Length || n[i] == ">")
            {
                return false;
            }
            if (o[i] != "*" && (n[i] == "*" || n[i] != o[i]))
            {
                return false;
            }
        }
        return n.Length == o.Length;
    }
}
