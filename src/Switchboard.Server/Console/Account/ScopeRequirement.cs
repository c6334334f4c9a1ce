using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Switchboard.Identity;
using Switchboard.Server.Identity;

namespace Switchboard.Server.WebConsole.Account;

/// <summary>The caller holds <c>area:action</c>, decided as the REST API decides it (<see cref="Caller.Can"/>).</summary>
internal sealed record ScopeRequirement(string Area, string Action) : IAuthorizationRequirement;

/// <summary>Evaluates <see cref="ScopeRequirement"/> with the configured user scopes.</summary>
internal sealed class ScopeRequirementHandler(IOptionsMonitor<IdentityOptions> options) : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (CallerExtensions.FromPrincipal(context.User, options.CurrentValue)?.Can(requirement.Area, requirement.Action) == true)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
