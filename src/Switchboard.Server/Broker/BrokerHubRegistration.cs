using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Switchboard.Broker;

namespace Switchboard.Server.Broker;

internal static class BrokerHubRegistration
{
    public const string Path = "/hubs/broker";

    // Protocol framing and base64 in JSON on top of the largest batch the broker accepts.
    private const int FrameOverheadBytes = 64 * 1024;

    public static WebApplicationBuilder AddBrokerHub(this WebApplicationBuilder builder)
    {
        // AddHubOptions (not a bare Configure) is what makes SignalR use this hub's options instead of the global ones.
        builder.Services.AddSignalR().AddMessagePackProtocol().AddHubOptions<BrokerHub>(hub =>
        {
            // SignalR runs one invocation per connection at a time by default, which would turn pipelined
            // publishes into one round trip and one commit each; in parallel they share group commits.
            hub.MaximumParallelInvocationsPerClient = 64;
            hub.AddFilter<BrokerHubErrorFilter>();
        });
        builder.Services.AddOptions<HubOptions<BrokerHub>>()
            .Configure<IOptions<BrokerOptions>>((hub, broker) => hub.MaximumReceiveMessageSize = broker.Value.MaxBatchBytes / 3 * 4 + FrameOverheadBytes);
        return builder;
    }

    public static IEndpointRouteBuilder MapBrokerHub(this IEndpointRouteBuilder routes)
    {
        routes.MapHub<BrokerHub>(Path).RequireAuthorization();
        return routes;
    }
}
