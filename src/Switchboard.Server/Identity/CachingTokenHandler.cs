using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>
/// Validates this server's access tokens like <see cref="JsonWebTokenHandler"/> and remembers a valid one for a
/// short while, so a client sending the same bearer token on every request pays the ES256 signature check once
/// (it was about a third of the server's CPU on a small authenticated GET). An entry is used only while the token
/// has not expired, for at most <see cref="MaxAge"/>, and only while the key ring is the one it was validated
/// against. The per-request checks that follow validation (the user's current status and role) still run every time.
/// </summary>
internal sealed class CachingTokenHandler(SigningKeyRing ring) : JsonWebTokenHandler
{
    internal static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _valid = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = DateTime.UtcNow;
        var keys = ring.Keys;
        if (_valid.TryGetValue(token, out var entry))
        {
            if (entry.Until > now && ReferenceEquals(entry.Keys, keys))
            {
                // A copy: the token events may change the identity's claims (the current role).
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = entry.Result.SecurityToken,
                    ClaimsIdentity = entry.Result.ClaimsIdentity.Clone(),
                    Issuer = entry.Result.Issuer,
                    TokenType = entry.Result.TokenType,
                };
            }
            _valid.TryRemove(token, out _);
        }
        var result = await base.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (result.IsValid && result.SecurityToken is { } validated && validated.ValidTo > now)
        {
            if (_valid.Count >= MaxEntries)
            {
                _valid.Clear();
            }
            var until = validated.ValidTo < now + MaxAge ? validated.ValidTo : now + MaxAge;
            var pristine = result.ClaimsIdentity.Clone();
            _valid[token] = new Entry(new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = validated,
                ClaimsIdentity = pristine,
                Issuer = result.Issuer,
                TokenType = result.TokenType,
            }, until, keys);
        }
        return result;
    }

    private sealed record Entry(TokenValidationResult Result, DateTime Until, IReadOnlyList<SigningKey> Keys);
}
