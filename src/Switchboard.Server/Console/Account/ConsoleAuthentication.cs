using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.IdentityModel.JsonWebTokens;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Server.Identity;

namespace Switchboard.Server.WebConsole.Account;

/// <summary>
/// The console's session: a cookie beside the API's JWT and API-key schemes. It is issued only by a password login
/// through <see cref="TokenService"/> (so lockout and the sign-in rate limit are the API's), carries the claims of the
/// access token it holds, and holds the refresh token too: the tokens are refreshed as they expire, so a revoked session
/// (password reset, sign-out elsewhere) or a disabled user ends the cookie as it ends the tokens.
/// </summary>
internal static class ConsoleAuthentication
{
    public const string Scheme = "switchboard-console";
    public const string CookieName = "switchboard.console";
    public const string SignInPath = "/console/signin";
    public const string SignOutPath = "/console/signout";
    private const string AccessTokenName = "access_token";
    private const string RefreshTokenName = "refresh_token";
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(1);
    private static readonly HashSet<string> SkippedClaims = ["exp", "nbf", "iat", "jti", "aud", "iss"];

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        options.LoginPath = SignInPath;
        options.ReturnUrlParameter = "returnUrl";
        options.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = ValidateAsync,
            OnRedirectToLogin = context => Redirect(context, StatusCodes.Status401Unauthorized),
            // A signed-in caller without the role or scope gets a real 403 from the server, never a page that merely hides.
            OnRedirectToAccessDenied = context => Redirect(context, StatusCodes.Status403Forbidden),
        };
    }

    /// <summary>The principal of a fresh token pair: the access token's own claims, so a session is exactly its tokens.</summary>
    public static (ClaimsPrincipal Principal, AuthenticationProperties Properties) Session(TokenPair pair, bool persistent)
    {
        var token = new JsonWebToken(pair.AccessToken);
        var identity = new ClaimsIdentity(token.Claims.Where(c => !SkippedClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
            Scheme, SwitchboardClaims.Name, SwitchboardClaims.Role);
        var properties = new AuthenticationProperties { IsPersistent = persistent };
        StoreTokens(properties, pair);
        return (new ClaimsPrincipal(identity), properties);
    }

    public static string? RefreshToken(AuthenticationProperties properties) => properties.GetTokenValue(RefreshTokenName);

    private static void StoreTokens(AuthenticationProperties properties, TokenPair pair) => properties.StoreTokens(
    [
        new AuthenticationToken { Name = AccessTokenName, Value = pair.AccessToken },
        new AuthenticationToken { Name = RefreshTokenName, Value = pair.RefreshToken },
        new AuthenticationToken { Name = "expires_at", Value = DateTimeOffset.UtcNow.AddSeconds(pair.ExpiresIn).ToString("o") },
    ]);

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var principal = context.Principal!;
        if (!Guid.TryParse(principal.FindFirstValue(SwitchboardClaims.Subject), out var userId))
        {
            await RejectAsync(context);
            return;
        }
        var status = await services.GetRequiredService<UserStatusCache>().GetAsync(userId, context.HttpContext.RequestAborted);
        if (status is null || status.Disabled)
        {
            await RejectAsync(context);
            return;
        }
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        var due = !DateTimeOffset.TryParse(expiresAt, out var expires) || expires - RefreshAhead <= DateTimeOffset.UtcNow;
        if (due || principal.FindFirstValue(SwitchboardClaims.Role) != status.Role)
        {
            try
            {
                var pair = await services.GetRequiredService<TokenService>().RefreshAsync(RefreshToken(context.Properties), context.HttpContext.RequestAborted);
                var (renewed, _) = Session(pair, context.Properties.IsPersistent);
                StoreTokens(context.Properties, pair);
                context.ReplacePrincipal(renewed);
                context.ShouldRenew = true;
            }
            catch (SwitchboardException)
            {
                // The refresh token is used up, revoked or expired: the session is over.
                await RejectAsync(context);
            }
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        // The page navigations of a browser get the sign-in page; everything else (the circuit's hub, scripts) a status.
        var isPage = HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
        if (status == StatusCodes.Status401Unauthorized && isPage)
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
