namespace Switchboard.Identity;

/// <summary>
/// One refresh token, stored as the SHA-256 of its secret. Every rotation adds a token to the same
/// <see cref="FamilyId"/>; presenting a used token revokes the whole family.
/// </summary>
public sealed record RefreshToken(
    Guid Id,
    Guid FamilyId,
    Guid UserId,
    string TokenHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    DateTimeOffset? RevokedAt);
