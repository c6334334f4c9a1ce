using Switchboard.Cluster;
using Switchboard.Gateway.Health;
using Switchboard.Gateway.Hosting;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.SessionAffinity;

namespace Switchboard.Gateway.Routing;

/// <summary>
/// The proxy's routes and clusters for a set of nodes: everything to the <c>nodes</c> cluster, the SignalR hubs to
/// <c>nodes-realtime</c> (the same nodes, with affinity so a connection stays on the node that negotiated it), the
/// documented aliases, and the operator's upstream routes. A pure function of options and nodes.
/// </summary>
internal static class GatewayRoutes
{
    public const string NodesCluster = "nodes";
    public const string RealtimeCluster = "nodes-realtime";
    public const string AffinityCookie = ".Switchboard.Node";
    public const string RequireAuthKey = "Switchboard.RequireAuth";
    public const string RouteRateKey = "Switchboard.RateLimitPerSecond";
    public const string UpstreamPrefix = "upstream-";

    /// <summary>Aliases kept from the systems Switchboard replaces: path at the gateway, path on a node.</summary>
    public static readonly IReadOnlyList<(string From, string To)> Aliases = [("/login", "/v1/auth/token"), ("/register", "/v1/auth/register")];

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(GatewayOptions options, IReadOnlyList<ClusterNode> discovered)
    {
        var destinations = NodeDestinations(options, discovered);
        var routes = new List<RouteConfig>
        {
            // Lower Order wins: hubs and aliases before the catch-all, upstream routes before all of them.
            new() { RouteId = "switchboard-hubs", ClusterId = RealtimeCluster, Order = 10, Match = new RouteMatch { Path = "/hubs/{**rest}" } },
            new() { RouteId = "switchboard", ClusterId = NodesCluster, Order = 100, Match = new RouteMatch { Path = "/{**rest}" } },
        };
        foreach (var (from, to) in Aliases)
        {
            routes.Add(new RouteConfig
            {
                RouteId = "alias" + from.Replace('/', '-'),
                ClusterId = NodesCluster,
                Order = 10,
                Match = new RouteMatch { Path = from, Methods = ["POST"] },
                Transforms = [new Dictionary<string, string> { ["PathSet"] = to }],
            });
        }
        var clusters = new List<ClusterConfig>
        {
            NodeCluster(NodesCluster, options, destinations, affinity: false),
            NodeCluster(RealtimeCluster, options, destinations, affinity: true),
        };
        foreach (var (id, upstream) in options.Upstreams)
        {
            var metadata = new Dictionary<string, string> { [RequireAuthKey] = upstream.RequireAuth ? "true" : "false" };
            if (upstream.RateLimitPerSecond is { } rate)
            {
                metadata[RouteRateKey] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            routes.Add(new RouteConfig
            {
                RouteId = UpstreamPrefix + id,
                ClusterId = UpstreamPrefix + id,
                Order = 0,
                Match = new RouteMatch { Path = string.IsNullOrWhiteSpace(upstream.Path) ? "/{**rest}" : upstream.Path, Hosts = upstream.Hosts.Count > 0 ? upstream.Hosts : null },
                Metadata = metadata,
            });
            clusters.Add(UpstreamCluster(UpstreamPrefix + id, options, upstream));
        }
        return (routes, clusters);
    }

    /// <summary>Discovered nodes that are active, then static ones at an address not already discovered.</summary>
    private static Dictionary<string, DestinationConfig> NodeDestinations(GatewayOptions options, IReadOnlyList<ClusterNode> discovered)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in discovered.Where(n => n.State == NodeState.Active))
        {
            if (addresses.Add(Normalize(node.Address)))
            {
                destinations[node.Id] = new DestinationConfig { Address = node.Address };
            }
        }
        foreach (var address in options.Destinations)
        {
            if (addresses.Add(Normalize(address)))
            {
                destinations["static-" + Normalize(address)] = new DestinationConfig { Address = address };
            }
        }
        return destinations;
    }

    private static string Normalize(string address) => address.TrimEnd('/').ToLowerInvariant();

    private static ClusterConfig NodeCluster(string id, GatewayOptions options, Dictionary<string, DestinationConfig> destinations, bool affinity) => new()
    {
        ClusterId = id,
        Destinations = destinations,
        LoadBalancingPolicy = options.LoadBalancing,
        HealthCheck = HealthCheck(options.Health, options.Health.ActivePath),
        Metadata = ActiveMetadata(options.Health),
        SessionAffinity = affinity
            ? new SessionAffinityConfig
            {
                Enabled = true,
                Policy = SessionAffinityConstants.Policies.HashCookie,
                FailurePolicy = SessionAffinityConstants.FailurePolicies.Redistribute,
                AffinityKeyName = AffinityCookie,
            }
            : null,
    };

    private static ClusterConfig UpstreamCluster(string id, GatewayOptions options, UpstreamRouteOptions upstream) => new()
    {
        ClusterId = id,
        Destinations = upstream.Destinations.Select((address, i) => (address, i))
            .ToDictionary(d => $"{d.i:D2}", d => new DestinationConfig { Address = d.address }, StringComparer.Ordinal),
        LoadBalancingPolicy = upstream.Fallback ? FallbackChainPolicy.PolicyName : options.LoadBalancing,
        HealthCheck = HealthCheck(options.Health, upstream.HealthPath),
        Metadata = ActiveMetadata(options.Health),
    };

    private static HealthCheckConfig HealthCheck(GatewayHealthOptions health, string? activePath) => new()
    {
        Active = activePath is null
            ? null
            : new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = health.ActiveInterval,
                Timeout = health.ActiveTimeout,
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = activePath,
            },
        Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = FailuresAndErrorsPolicy.PolicyName, ReactivationPeriod = health.Probation },
    };

    private static Dictionary<string, string> ActiveMetadata(GatewayHealthOptions health) =>
        new() { ["ConsecutiveFailuresHealthPolicy.Threshold"] = health.ActiveFailures.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
