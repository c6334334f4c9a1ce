using Switchboard.Errors;
using Switchboard.Gateway.Routing;
using Switchboard.Identity;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Refuses a bad Switchboard access token at the edge, before it costs a node anything, and makes a good one's
/// user known to the rate limiter. API keys and other issuers' tokens pass to the nodes, which know them. Upstream
/// routes with <c>RequireAuth</c> need a valid access token.
/// </summary>
internal sealed class EdgeAuthentication(RequestDelegate next, EdgeTokenValidator validator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        var required = route?.Config.Metadata?.GetValueOrDefault(GatewayRoutes.RequireAuthKey) == "true";
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
        if (string.IsNullOrEmpty(token) || ApiKeyService.LooksLikeKey(token) || !validator.Enabled)
        {
            if (required)
            {
                await GatewayProblems.WriteAsync(context, ErrorCodes.Unauthorized, "This route needs a valid access token: send Authorization: Bearer <token>.");
                return;
            }
            await next(context);
            return;
        }
        EdgeTokenValidator.Outcome outcome;
        System.Security.Claims.ClaimsPrincipal? user;
        string? reason;
        try
        {
            (outcome, user, reason) = await validator.ValidateAsync(token, context.RequestAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await GatewayProblems.WriteAsync(context, ErrorCodes.Unavailable, $"The gateway cannot check access tokens: the key set at Gateway:Auth:JwksUrl is unreachable ({ex.GetType().Name}).");
            return;
        }
        switch (outcome)
        {
            case EdgeTokenValidator.Outcome.Invalid:
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await GatewayProblems.WriteAsync(context, ErrorCodes.InvalidToken, reason ?? "The access token is not valid.");
                return;
            case EdgeTokenValidator.Outcome.Foreign when required:
                await GatewayProblems.WriteAsync(context, ErrorCodes.InvalidToken, "This route accepts only this cluster's access tokens.");
                return;
            case EdgeTokenValidator.Outcome.Valid:
                context.User = user!;
                break;
        }
        await next(context);
    }
}
