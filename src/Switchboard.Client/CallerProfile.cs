namespace Switchboard.Client;

/// <summary>Who the server thinks the caller is: the answer of <c>GET /v1/auth/me</c>.</summary>
/// <param name="Id">The user's id, or the API key's id.</param>
/// <param name="Username">The user's name, or the API key's name.</param>
/// <param name="DisplayName">The display name, when set.</param>
/// <param name="Role"><c>admin</c> or <c>user</c>.</param>
/// <param name="Kind">How the caller authenticated: <c>user</c>, <c>api_key</c> or <c>external</c>.</param>
/// <param name="Scopes">What the caller may do, e.g. <c>broker:publish:orders.*</c>.</param>
public sealed record CallerProfile(string Id, string Username, string? DisplayName, string Role, string Kind, IReadOnlyList<string> Scopes);
