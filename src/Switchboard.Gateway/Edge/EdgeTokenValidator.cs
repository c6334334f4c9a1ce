using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Gateway.Hosting;
using Switchboard.Identity;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Checks Switchboard access tokens against the nodes' published key set (JWKS), fetched and cached by a
/// <see cref="ConfigurationManager{T}"/>: no database and no node call per request. A token signed with a key the
/// cache does not know yet (a rotation) refreshes it once before the token is refused.
/// </summary>
internal sealed class EdgeTokenValidator
{
    private readonly GatewayAuthOptions _options;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _keys;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public EdgeTokenValidator(IOptions<GatewayOptions> options)
    {
        _options = options.Value.Auth;
        if (!string.IsNullOrWhiteSpace(_options.JwksUrl))
        {
            _keys = new ConfigurationManager<OpenIdConnectConfiguration>(
                _options.JwksUrl, new JwksConfigurationRetriever(_options.Issuer), new HttpDocumentRetriever { RequireHttps = false })
            {
                AutomaticRefreshInterval = _options.Refresh,
                RefreshInterval = TimeSpan.FromSeconds(1),
            };
        }
    }

    public bool Enabled => _keys is not null;

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
        var result = await ValidateWithKeysAsync(token, cancellationToken).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            _keys!.RequestRefresh();
            result = await ValidateWithKeysAsync(token, cancellationToken).ConfigureAwait(false);
        }
        return result.IsValid
            ? (Outcome.Valid, new ClaimsPrincipal(result.ClaimsIdentity), null)
            : (Outcome.Invalid, null, result.Exception?.Message ?? "The token is not valid.");
    }

    private async Task<TokenValidationResult> ValidateWithKeysAsync(string token, CancellationToken cancellationToken)
    {
        var configuration = await _keys!.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        return await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = AccessTokens.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        }).ConfigureAwait(false);
    }
}
