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
        builder.Services.AddSignalR().AddMessagePackProtocol();
        builder.Services.AddOptions<HubOptions<BrokerHub>>()
            .Configure<IOptions<BrokerOptions>>((hub, broker) =>
            {
                // SignalR runs one invocation per connection at a time by default, which would turn pipelined
                // publishes into one round trip and one commit each; in parallel they share group commits.
                hub.MaximumParallelInvocationsPerClient = 64;
                hub.MaximumReceiveMessageSize = broker.Value.MaxBatchBytes / 3 * 4 + FrameOverheadBytes;
                hub.AddFilter<BrokerHubErrorFilter>();
            });
        return builder;
    }

    public static IEndpointRouteBuilder MapBrokerHub(this IEndpointRouteBuilder routes)
    {
        routes.MapHub<BrokerHub>(Path).RequireAuthorization();
        return routes;
    }
}
