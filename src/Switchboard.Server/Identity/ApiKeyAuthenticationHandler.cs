using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>Authenticates <c>sb_…</c> API keys sent as <c>Authorization: Bearer</c> or <c>X-Api-Key</c>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService apiKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string KeyIdClaim = "sb_key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[IdentitySchemes.ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            presented = IdentitySchemes.BearerToken(Context) ?? "";
        }
        if (presented.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        var result = await apiKeys.AuthenticateAsync(presented.Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AuthenticateResult.Fail(result.Failure ?? "The API key is not valid.");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(SwitchboardClaims.Subject, result.Owner!.Id.ToString()),
            new Claim(SwitchboardClaims.Name, result.Owner.Username),
            new Claim(SwitchboardClaims.Role, result.Owner.Role),
            new Claim(SwitchboardClaims.Kind, SwitchboardClaims.KindApiKey),
            new Claim(SwitchboardClaims.Scope, string.Join(' ', result.Key!.Scopes)),
            new Claim(KeyIdClaim, result.Key.Id.ToString()),
        ], Scheme.Name, SwitchboardClaims.Name, SwitchboardClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        await AuthProblems.ChallengeAsync(Context, ErrorCodes.InvalidApiKey, result.Failure?.Message).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthProblems.ForbiddenAsync(Context);
}
