using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Server.Identity;

namespace Switchboard.Server.WebConsole.Account;

/// <summary>
/// The signed-in person as a <see cref="Caller"/>, built the way the REST API builds it and checked against the user's
/// current status on every action: a disabled user's open console can do nothing more.
/// </summary>
public sealed class ConsoleCaller(AuthenticationStateProvider authentication, UserStatusCache statuses, IOptionsMonitor<IdentityOptions> options)
{
    public async Task<Caller> GetAsync(CancellationToken cancellationToken = default)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var caller = CallerExtensions.FromPrincipal(state.User, options.CurrentValue)
            ?? throw new SwitchboardException(ErrorCodes.Unauthorized, "Sign in again: the console session has ended.");
        if (!Guid.TryParse(caller.Id, out var id) || await statuses.GetAsync(id, cancellationToken) is not { Disabled: false } status)
        {
            throw new SwitchboardException(ErrorCodes.Unauthorized, "The account is disabled or no longer exists.");
        }
        // The role is the current one, as for an access token.
        return status.Role == caller.Role ? caller : CallerExtensions.FromPrincipal(state.User, options.CurrentValue)! with
        {
            Role = status.Role,
            RoleScopes = status.Role == Roles.Admin ? ScopeSet.Everything : ScopeSet.FromClaim(string.Join(' ', options.CurrentValue.EffectiveUserScopes)),
        };
    }
}
