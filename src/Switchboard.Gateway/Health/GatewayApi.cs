using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.Observability;
using Switchboard.Gateway.Routing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Health;

/// <summary>
/// The gateway's own endpoints: <c>/healthz</c>, <c>/readyz</c> (and its documented alias <c>/saude</c>), both with
/// every destination's state; <c>GET /gateway/destinations</c>; <c>POST /gateway/routes/{id}/reset</c>.
/// </summary>
internal static class GatewayApi
{
    public const string SaudeAlias = "/saude";

    public sealed record DestinationView(string Cluster, string Id, string Address, bool Available, string Active, string Passive,
        int ConcurrentRequests, double? P95Milliseconds);

    public sealed record DestinationsView(IReadOnlyList<DestinationView> Destinations, DiscoveryView Discovery);

    public sealed record DiscoveryView(bool Enabled, DateTimeOffset? LastRead, string? LastError, IReadOnlyList<NodeView> Nodes);

    public sealed record NodeView(string Id, string Address, string State, DateTimeOffset HeartbeatAt);

    public sealed record HealthView(string Status, int Available, int Total, IReadOnlyList<DestinationView> Destinations);

    public sealed record ResetView(string Route, int Destinations);

    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", Alive);
        routes.MapGet("/readyz", Ready);
        routes.MapGet(SaudeAlias, Ready);
        routes.MapGet("/gateway/destinations", Destinations);
        routes.MapPost("/gateway/routes/{id}/reset", Reset);
        return routes;
    }

    private static Ok<HealthView> Alive(IProxyStateLookup proxy, LatencyTracker latency)
    {
        var nodes = NodeDestinations(proxy, latency);
        return TypedResults.Ok(new HealthView("alive", nodes.Count(d => d.Available), nodes.Count, nodes));
    }

    /// <summary>Ready while at least one node takes traffic; otherwise a 503 <c>unavailable</c> problem listing them.</summary>
    private static Results<Ok<HealthView>, ProblemHttpResult> Ready(HttpContext context, IProxyStateLookup proxy, LatencyTracker latency)
    {
        var nodes = NodeDestinations(proxy, latency);
        var available = nodes.Count(d => d.Available);
        if (available > 0)
        {
            return TypedResults.Ok(new HealthView("ready", available, nodes.Count, nodes));
        }
        var problem = GatewayProblems.Create(context, ErrorCodes.Unavailable,
            nodes.Count == 0 ? "The gateway knows no node: none registered and none configured." : $"None of the {nodes.Count} nodes passes its health checks.");
        problem.Extensions["destinations"] = nodes;
        return TypedResults.Problem(problem);
    }

    private static Ok<DestinationsView> Destinations(IProxyStateLookup proxy, LatencyTracker latency, NodeDiscovery discovery)
    {
        var destinations = proxy.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal)
            .SelectMany(c => View(c, latency)).ToList();
        var last = discovery.Last;
        var nodes = last?.Nodes.Select(n => new NodeView(n.Id, n.Address, n.State.ToString().ToLowerInvariant(), n.HeartbeatAt)).ToList() ?? [];
        return TypedResults.Ok(new DestinationsView(destinations, new DiscoveryView(discovery.Enabled, last?.At, discovery.LastError, nodes)));
    }

    /// <summary>Closes every circuit of the route's destinations and forgets their latencies: all are tried again at once.</summary>
    private static Results<Ok<ResetView>, ProblemHttpResult> Reset(string id, HttpContext context, IProxyStateLookup proxy,
        IDestinationHealthUpdater health, FailuresAndErrorsPolicy policy, LatencyTracker latency)
    {
        if (!proxy.TryGetRoute(id, out var route) && !proxy.TryGetRoute(GatewayRoutes.UpstreamPrefix + id, out route))
        {
            return TypedResults.Problem(GatewayProblems.Create(context, ErrorCodes.NotFound, $"No gateway route has the id '{id}'; GET /gateway/destinations lists the clusters."));
        }
        var cluster = route.Cluster!;
        foreach (var destination in cluster.Destinations.Values)
        {
            policy.Reset(destination);
            health.SetPassive(cluster, destination, DestinationHealth.Unknown, TimeSpan.Zero);
        }
        latency.Reset(cluster.ClusterId);
        return TypedResults.Ok(new ResetView(route.Config.RouteId, cluster.Destinations.Count));
    }

    private static List<DestinationView> NodeDestinations(IProxyStateLookup proxy, LatencyTracker latency) =>
        proxy.TryGetCluster(GatewayRoutes.NodesCluster, out var cluster) ? View(cluster, latency).ToList() : [];

    private static IEnumerable<DestinationView> View(ClusterState cluster, LatencyTracker latency) =>
        cluster.Destinations.Values.OrderBy(d => d.DestinationId, StringComparer.Ordinal).Select(d => new DestinationView(
            cluster.ClusterId, d.DestinationId, d.Model.Config.Address, GatewayMetrics.IsHealthy(d),
            d.Health.Active.ToString().ToLowerInvariant(), d.Health.Passive.ToString().ToLowerInvariant(), d.ConcurrentRequestCount,
            latency.P95(cluster.ClusterId, d.DestinationId)));
}
