using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Identity;

/// <summary>Issues this server's access tokens: ES256 JWTs signed with the newest key of the ring.</summary>
public sealed class AccessTokens(SigningKeyRing ring, IOptionsMonitor<IdentityOptions> options, TimeProvider time)
{
    /// <summary>The tolerance for clocks of validating parties, also added to how long a retired key stays.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;
    public const string KindClaim = "sb_kind";
    public const string KindUser = "user";

    /// <summary>The claim carrying the user's <see cref="SecurityStamp"/> at issue time.</summary>
    public const string StampClaim = "sb_stamp";

    private static readonly JsonWebTokenHandler Handler = new();

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.CurrentValue.AccessTokenMinutes);

    public string Issue(UserAccount user)
    {
        var settings = options.CurrentValue;
        var key = ring.Current;
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
                ["name"] = user.Username,
                ["role"] = user.Role,
                [KindClaim] = KindUser,
                [StampClaim] = SecurityStamp(user),
                [JwtRegisteredClaimNames.Jti] = Guid.CreateVersion7().ToString(),
            },
            SigningCredentials = new SigningCredentials(key.PrivateKey, Algorithm),
        });
    }

    /// <summary>
    /// A value that changes whenever the password does: a digest of the salted password hash, so no column or
    /// migration is needed and a new password (own change or admin reset) retires every access token issued before it.
    /// The hash's random salt makes the digest useless for guessing the password.
    /// </summary>
    public static string SecurityStamp(UserAccount user) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.PasswordHash)).AsSpan(0, 12));
}
