using System.Security.Claims;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>The one authorization mechanism every endpoint uses: build the <see cref="Caller"/>, then demand a scope.</summary>
public static class CallerExtensions
{
    /// <summary>The authenticated caller of this request; throws 401 when there is none.</summary>
    public static Caller GetCaller(this HttpContext context)
    {
        if (context.Items.TryGetValue(typeof(Caller), out var cached) && cached is Caller known)
        {
            return known;
        }
        var caller = FromPrincipal(context.User, context.RequestServices.GetRequiredService<IOptionsMonitor<IdentityOptions>>().CurrentValue)
            ?? throw new SwitchboardException(ErrorCodes.Unauthorized, "Send an access token or API key in the Authorization header.");
        context.Items[typeof(Caller)] = caller;
        return caller;
    }

    internal static Caller? FromPrincipal(ClaimsPrincipal principal, IdentityOptions options)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var id = principal.FindFirstValue(SwitchboardClaims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null)
        {
            return null;
        }
        var name = principal.FindFirstValue(SwitchboardClaims.Name) ?? principal.FindFirstValue(ClaimTypes.Name) ?? id;
        var role = principal.FindFirstValue(SwitchboardClaims.Role) ?? principal.FindFirstValue(ClaimTypes.Role) ?? Roles.User;
        var kind = principal.FindFirstValue(SwitchboardClaims.Kind) switch
        {
            SwitchboardClaims.KindApiKey => CallerKind.ApiKey,
            SwitchboardClaims.KindExternal => CallerKind.External,
            _ => CallerKind.User,
        };
        var roleScopes = role == Roles.Admin ? ScopeSet.Everything : ScopeSet.FromClaim(string.Join(' ', options.EffectiveUserScopes));
        var scopeClaim = principal.FindFirstValue(SwitchboardClaims.Scope);
        var credentialScopes = kind == CallerKind.User || scopeClaim is null ? null : ScopeSet.FromClaim(scopeClaim);
        return new Caller(id, name, role, kind, roleScopes, credentialScopes);
    }

    /// <summary>
    /// Requires an authenticated caller holding <c>area:action</c>, optionally on the resource named by a route value
    /// (e.g. <c>RequireScope("broker", "publish", "name")</c> checks <c>broker:publish:{name}</c>).
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string area, string action, string? resourceRouteValue = null)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization();
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var resource = resourceRouteValue is null ? null : context.GetRouteValue(resourceRouteValue) as string;
            context.GetCaller().Demand(area, action, resource);
            return await next(invocation);
        });
        return builder;
    }
}
