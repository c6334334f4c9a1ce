using Microsoft.AspNetCore.SignalR;
using Switchboard.Errors;
using Switchboard.Presence;
using Switchboard.Server.Broker;

namespace Switchboard.Server.Chat;

/// <summary>Every call counts as activity for presence (an idle, away connection is back); service errors travel as <c>"&lt;code&gt;: &lt;detail&gt;"</c>.</summary>
internal sealed class ChatHubFilter(PresenceTracker presence) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        await presence.TouchAsync(invocationContext.Context.ConnectionId).ConfigureAwait(false);
        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (SwitchboardException ex)
        {
            throw BrokerHubErrorFilter.ToHubException(ex);
        }
    }
}
