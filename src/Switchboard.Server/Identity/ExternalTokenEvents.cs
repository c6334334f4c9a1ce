using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>
/// Maps a validated token of an external OIDC issuer to a Switchboard principal: kind <c>external</c>,
/// role <c>admin</c> when the configured role claim holds the configured admin role, else <c>user</c>.
/// </summary>
internal sealed class ExternalTokenEvents(ExternalIssuerOptions issuer) : JwtBearerEvents
{
    public override Task TokenValidated(TokenValidatedContext context)
    {
        var source = context.Principal!;
        var subject = source.FindFirstValue(SwitchboardClaims.Subject);
        if (string.IsNullOrEmpty(subject))
        {
            context.Fail("The token has no 'sub' claim.");
            return Task.CompletedTask;
        }
        var name = source.FindFirstValue("preferred_username") ?? source.FindFirstValue("name") ?? source.FindFirstValue("email") ?? subject;
        var isAdmin = source.FindAll(issuer.RoleClaim).SelectMany(c => RoleValues(c.Value)).Contains(issuer.AdminRole, StringComparer.Ordinal);
        // The external token's own 'scope' (openid, profile, …) means nothing here, so it is not carried over.
        var identity = new ClaimsIdentity(
        [
            new Claim(SwitchboardClaims.Subject, subject),
            new Claim(SwitchboardClaims.Name, name),
            new Claim(SwitchboardClaims.Role, isAdmin ? Roles.Admin : Roles.User),
            new Claim(SwitchboardClaims.Kind, SwitchboardClaims.KindExternal),
            new Claim("sb_issuer", issuer.Name),
        ], context.Scheme.Name, SwitchboardClaims.Name, SwitchboardClaims.Role);
        context.Principal = new ClaimsPrincipal(identity);
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var failure = context.AuthenticateFailure is { } error ? AuthProblems.Describe(error) : null;
        return AuthProblems.ChallengeAsync(context.HttpContext, ErrorCodes.InvalidToken, failure);
    }

    public override Task Forbidden(ForbiddenContext context) => AuthProblems.ForbiddenAsync(context.HttpContext);

    /// <summary>A role claim is one value per claim, or a JSON array when the issuer nests them.</summary>
    private static IEnumerable<string> RoleValues(string value)
    {
        if (!value.StartsWith('['))
        {
            return [value];
        }
        try
        {
            return JsonSerializer.Deserialize<string[]>(value) ?? [];
        }
        catch (JsonException)
        {
            return [value];
        }
    }
}
