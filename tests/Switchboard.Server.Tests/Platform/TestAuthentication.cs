using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Tests.Platform;

/// <summary>
/// A stand-in for the real token and API-key schemes: <c>X-Test-User: alice</c> (role user) or
/// <c>X-Test-User: admin</c> (role admin) authenticates with the same claims identity issues.
/// </summary>
internal sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Header = "X-Test-User";

    public static void Add(WebApplicationBuilder builder) =>
        builder.Services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(SchemeName, null);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.ToString() is not { Length: > 0 } user)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var identity = new ClaimsIdentity(
        [
            new Claim("sub", user),
            new Claim("name", user),
            new Claim("role", user == "admin" ? "admin" : "user"),
            new Claim("sb_kind", "user"),
        ], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
