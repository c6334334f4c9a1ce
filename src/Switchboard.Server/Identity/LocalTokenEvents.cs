using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>
/// Checks this server's access tokens against the user's current status on every request (through the short
/// status cache): a disabled or deleted user's tokens stop working, so do tokens issued before the last password
/// change, and the role is the current one.
/// </summary>
internal sealed class LocalTokenEvents : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context)
    {
        // Browsers cannot set headers on WebSocket requests, so hubs take the token from the query string.
        if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is { Count: 1 } token
            && string.IsNullOrEmpty(context.Request.Headers.Authorization))
        {
            context.Token = token.ToString();
        }
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (principal.FindFirstValue(SwitchboardClaims.Kind) != SwitchboardClaims.KindUser
            || !Guid.TryParse(principal.FindFirstValue(SwitchboardClaims.Subject), out var userId))
        {
            context.Fail("The token is not a user access token of this server.");
            return;
        }
        var status = await context.HttpContext.RequestServices.GetRequiredService<UserStatusCache>()
            .GetAsync(userId, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (status is null || status.Disabled)
        {
            context.Fail("The account is disabled or no longer exists.");
            return;
        }
        if (principal.FindFirstValue(AccessTokens.StampClaim) != status.SecurityStamp)
        {
            context.Fail("The password changed after this token was issued; log in again.");
            return;
        }
        if (principal.Identity is ClaimsIdentity identity && principal.FindFirst(SwitchboardClaims.Role) is { } role && role.Value != status.Role)
        {
            identity.RemoveClaim(role);
            identity.AddClaim(new Claim(SwitchboardClaims.Role, status.Role));
        }
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var failure = context.AuthenticateFailure is { } error ? AuthProblems.Describe(error) : null;
        return AuthProblems.ChallengeAsync(context.HttpContext, ErrorCodes.InvalidToken, failure);
    }

    public override Task Forbidden(ForbiddenContext context) => AuthProblems.ForbiddenAsync(context.HttpContext);
}
