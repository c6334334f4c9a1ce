using Microsoft.AspNetCore.SignalR;
using Switchboard.Errors;

namespace Switchboard.Server.Broker;

/// <summary>
/// SignalR only shows clients the message of a <see cref="HubException"/>, so broker errors travel as
/// <c>"&lt;code&gt;: &lt;detail&gt;"</c>; clients match on the code before the colon, as with problem details.
/// </summary>
internal sealed class BrokerHubErrorFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (SwitchboardException ex)
        {
            throw ToHubException(ex);
        }
    }

    public static HubException ToHubException(SwitchboardException exception) => new($"{exception.Error.Code}: {exception.Message}", exception);
}
