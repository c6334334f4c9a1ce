namespace Switchboard.Identity;

/// <summary>An API key as stored: the SHA-256 of its secret, never the secret.</summary>
public sealed record ApiKey(
    Guid Id,
    Guid OwnerId,
    string Name,
    string SecretHash,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
