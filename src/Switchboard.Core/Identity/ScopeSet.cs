namespace Switchboard.Identity;

/// <summary>An immutable set of scopes; grants an action when any member does.</summary>
public sealed class ScopeSet
{
    public static ScopeSet Empty { get; } = new([]);
    public static ScopeSet Everything { get; } = new([Scope.All]);

    public ScopeSet(IEnumerable<Scope> scopes) => Items = scopes.Distinct().ToArray();

    public IReadOnlyList<Scope> Items { get; }

    public static ScopeSet Parse(IEnumerable<string> scopes) => new(scopes.Select(Scope.Parse));

    /// <summary>Parses a space-separated list as carried in a token's <c>scope</c> claim; unknown entries are ignored.</summary>
    public static ScopeSet FromClaim(string? value) =>
        new((value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => Scope.TryParse(s, out var scope) ? scope : null)
            .OfType<Scope>());

    public bool Allows(string area, string action, string? resource = null)
    {
        foreach (var scope in Items)
        {
            if (scope.Allows(area, action, resource))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether every scope of <paramref name="requested"/> is granted by this set (no privilege escalation).</summary>
    public bool Covers(ScopeSet requested) => requested.Items.All(r => Items.Any(r.IsWithin));

    public override string ToString() => string.Join(' ', Items);
}
