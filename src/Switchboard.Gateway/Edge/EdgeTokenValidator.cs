using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Gateway.Hosting;
using Switchboard.Identity;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Checks Switchboard access tokens against the nodes' published key set (JWKS), kept in memory: no database and
/// no node call per request. The set is fetched again every <see cref="GatewayAuthOptions.Refresh"/>, and at once
/// (at most once a second) when a token names a key id it does not hold, which is how a rotation arrives.
/// </summary>
internal sealed class EdgeTokenValidator
{
    private static readonly TimeSpan MinimumRefetch = TimeSpan.FromSeconds(1);

    private readonly GatewayAuthOptions _options;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly JwksConfigurationRetriever _retriever;
    private readonly HttpDocumentRetriever _documents = new() { RequireHttps = false };
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly TimeProvider _time;
    private volatile KeySet? _keys;

    public EdgeTokenValidator(IOptions<GatewayOptions> options, TimeProvider time)
    {
        _options = options.Value.Auth;
        _retriever = new JwksConfigurationRetriever(_options.Issuer);
        _time = time;
    }

    public bool Enabled => !string.IsNullOrWhiteSpace(_options.JwksUrl);

    public enum Outcome
    {
        Valid,
        Invalid,

        /// <summary>Not a token of this cluster's issuer: the nodes may know its issuer (an external OIDC one).</summary>
        Foreign,
    }

    public async Task<(Outcome Outcome, ClaimsPrincipal? User, string? Reason)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token))
        {
            return (Outcome.Invalid, null, "The bearer token is not a JWT.");
        }
        var jwt = _handler.ReadJsonWebToken(token);
        if (!string.Equals(jwt.Issuer, _options.Issuer, StringComparison.Ordinal))
        {
            return (Outcome.Foreign, null, null);
        }
        var keys = await KeysAsync(jwt.Kid, cancellationToken).ConfigureAwait(false);
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKeys = keys.Keys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = AccessTokens.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        }).ConfigureAwait(false);
        return result.IsValid
            ? (Outcome.Valid, new ClaimsPrincipal(result.ClaimsIdentity), null)
            : (Outcome.Invalid, null, Reason(result.Exception));
    }

    /// <summary>What was wrong, in words a client can act on; the library's messages name internals.</summary>
    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The access token has expired; refresh it or sign in again.",
        SecurityTokenNotYetValidException => "The access token is not valid yet; check the clocks.",
        SecurityTokenInvalidAudienceException => "The access token was issued for another audience.",
        SecurityTokenInvalidAlgorithmException => "The access token is signed with an algorithm this cluster does not use.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The access token's signature does not verify with this cluster's keys.",
        _ => "The access token is not valid.",
    };

    /// <summary>The cached key set, fetched first when it is missing, old, or lacks <paramref name="kid"/>.</summary>
    private async Task<KeySet> KeysAsync(string? kid, CancellationToken cancellationToken)
    {
        var seen = _keys;
        if (seen is not null && !seen.IsStale(_time, _options.Refresh) && (kid is null || seen.Has(kid)))
        {
            return seen;
        }
        if (seen is not null && MinimumRefetch - _time.GetElapsedTime(seen.FetchedAt) is { Ticks: > 0 } wait)
        {
            // An unknown key id right after a fetch: wait for the next allowed fetch rather than refuse a token
            // that a rotation just made valid; made-up key ids cost the nodes at most about one fetch a second.
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_keys is { } current && !ReferenceEquals(current, seen))
            {
                // Fetched by another request while this one waited: as new as it gets.
                return current;
            }
            try
            {
                var configuration = await _retriever.GetConfigurationAsync(_options.JwksUrl!, _documents, cancellationToken).ConfigureAwait(false);
                return _keys = new KeySet([.. configuration.SigningKeys], _time.GetTimestamp());
            }
            catch (Exception ex) when (seen is not null && ex is IOException or HttpRequestException or InvalidOperationException or ArgumentException)
            {
                // The key set's node is unreachable: keep validating with the keys already known.
                return seen;
            }
        }
        finally
        {
            _fetching.Release();
        }
    }

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, long FetchedAt)
    {
        public bool Has(string kid) => Keys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

        public bool IsStale(TimeProvider time, TimeSpan refresh) => time.GetElapsedTime(FetchedAt) >= refresh;
    }
}
