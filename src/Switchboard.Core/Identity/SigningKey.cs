using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Identity;

/// <summary>One ES256 (P-256) key of the ring. <see cref="RetiredAt"/> is when a newer key took over signing.</summary>
public sealed class SigningKey(string kid, DateTimeOffset createdAt, ECDsaSecurityKey privateKey, ECDsaSecurityKey publicKey)
{
    public string Kid { get; } = kid;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset? RetiredAt { get; internal set; }

    internal ECDsaSecurityKey PrivateKey { get; } = privateKey;

    /// <summary>The public half, for validation and the JWKS document.</summary>
    public ECDsaSecurityKey PublicKey { get; } = publicKey;
}
