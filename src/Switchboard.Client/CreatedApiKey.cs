namespace Switchboard.Client;

/// <summary>A newly created API key, with its secret shown this once.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Name">The key's name.</param>
/// <param name="Scopes">What the key may do.</param>
/// <param name="CreatedAt">When the key was created (UTC).</param>
/// <param name="ExpiresAt">When the key stops working (UTC), or null for never.</param>
/// <param name="Key">The secret (<c>sb_…</c>); the server keeps only its hash, so store it now.</param>
public sealed record CreatedApiKey(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);
