using Switchboard.Errors;

namespace Switchboard.Identity;

/// <summary>
/// Who is calling, independent of transport. Services authorize with <see cref="Demand"/>;
/// REST, hubs and GraphQL all build one of these from their authenticated principal.
/// </summary>
/// <param name="Id">The user id (for an API key, its owner's), or the external subject.</param>
/// <param name="RoleScopes">What the role grants (everything for an admin).</param>
/// <param name="CredentialScopes">For an API key or a scoped external token, the credential's own limit; null when unlimited.</param>
public sealed record Caller(string Id, string Name, string Role, CallerKind Kind, ScopeSet RoleScopes, ScopeSet? CredentialScopes)
{
    public bool IsAdmin => Role == Roles.Admin && CredentialScopes is null;

    public bool Can(string area, string action, string? resource = null) =>
        RoleScopes.Allows(area, action, resource) && (CredentialScopes is null || CredentialScopes.Allows(area, action, resource));

    /// <summary>Throws <see cref="ErrorCodes.InsufficientScope"/> unless the caller may do this.</summary>
    public void Demand(string area, string action, string? resource = null)
    {
        if (!Can(area, action, resource))
        {
            var needed = resource is null ? $"{area}:{action}" : $"{area}:{action}:{resource}";
            var ex = new SwitchboardException(ErrorCodes.InsufficientScope, $"This operation needs the scope '{needed}'.");
            ex.Extensions["requiredScope"] = needed;
            throw ex;
        }
    }
}
