using GraphQL;
using Switchboard.Broker;
using Switchboard.Identity;

namespace Switchboard.Server.GraphQL;

/// <summary>What every resolver needs from the request: the authenticated <c>Caller</c> and the broker.</summary>
internal static class GraphQLContext
{
    public const string CallerKey = "switchboard.caller";

    public static Caller Caller(this IResolveFieldContext context) =>
        context.UserContext.TryGetValue(CallerKey, out var value) && value is Caller caller
            ? caller
            : throw new InvalidOperationException("The GraphQL endpoint runs only for authenticated callers.");

    public static BrokerService Broker(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<BrokerService>();
}
