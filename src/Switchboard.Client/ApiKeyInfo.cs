namespace Switchboard.Client;

/// <summary>An API key as listed by <c>GET /v1/api-keys</c>; the secret is never returned again.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Name">The key's name.</param>
/// <param name="Scopes">What the key may do.</param>
/// <param name="CreatedAt">When the key was created (UTC).</param>
/// <param name="ExpiresAt">When the key stops working (UTC), or null for never.</param>
/// <param name="LastUsedAt">When the key last authenticated a request (UTC), or null.</param>
/// <param name="RevokedAt">When the key was revoked (UTC), or null while it is active.</param>
public sealed record ApiKeyInfo(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
