using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Identity;

/// <summary>
/// One permission, written <c>area:action[:pattern]</c>, e.g. <c>broker:publish:orders.*</c>.
/// <c>*</c> stands for any area or action; the pattern uses subject wildcards
/// (<c>*</c> one token, <c>&gt;</c> one or more trailing tokens); no pattern means any resource.
/// </summary>
public sealed record Scope(string Area, string Action, string? Pattern)
{
    public static Scope All { get; } = new("*", "*", null);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Scope? scope)
    {
        scope = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 256 || text.Any(char.IsWhiteSpace))
        {
            return false;
        }
        if (text == "*")
        {
            scope = All;
            return true;
        }
        var parts = text.Split(':', 3);
        if (parts.Length < 2 || !IsName(parts[0]) || !IsName(parts[1]))
        {
            return false;
        }
        string? pattern = null;
        if (parts.Length == 3)
        {
            if (!SubjectPattern.IsValid(parts[2]))
            {
                return false;
            }
            pattern = parts[2] == "*" || parts[2] == ">" ? null : parts[2];
        }
        scope = new Scope(parts[0], parts[1], pattern);
        return true;
    }

    public static Scope Parse(string text) =>
        TryParse(text, out var scope) ? scope : throw new FormatException($"'{text}' is not a scope of the form area:action[:pattern].");

    /// <summary>Whether this scope grants <paramref name="action"/> in <paramref name="area"/> on <paramref name="resource"/>.</summary>
    /// <remarks>A null resource asks "may the caller do this to anything at all", as listing does.</remarks>
    public bool Allows(string area, string action, string? resource)
    {
        if (Area != "*" && !string.Equals(Area, area, StringComparison.Ordinal))
        {
            return false;
        }
        if (Action != "*" && !string.Equals(Action, action, StringComparison.Ordinal))
        {
            return false;
        }
        return Pattern is null || resource is null || SubjectPattern.Matches(Pattern, resource);
    }

    /// <summary>Whether everything this scope grants is also granted by <paramref name="other"/>.</summary>
    public bool IsWithin(Scope other)
    {
        if (other.Area != "*" && other.Area != Area)
        {
            return false;
        }
        if (other.Action != "*" && other.Action != Action)
        {
            return false;
        }
        return other.Pattern is null || (Pattern is not null && SubjectPattern.Covers(other.Pattern, Pattern));
    }

    public override string ToString() =>
        Area == "*" && Action == "*" && Pattern is null ? "*" : Pattern is null ? $"{Area}:{Action}" : $"{Area}:{Action}:{Pattern}";

    private static bool IsName(string part) =>
        part == "*" || (part.Length is > 0 and <= 64 && part.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || c == '_'));
}
