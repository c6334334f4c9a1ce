using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Health;

/// <summary>
/// An upstream route's fallback chain: among the destinations whose circuit is closed (healthy or not yet judged),
/// the one with the lowest recent p95; one without samples yet counts as fastest so it gets measured; ties go to
/// the earlier one in the configured order (destination ids are the chain positions, <c>00</c>, <c>01</c>, …).
/// </summary>
internal sealed class FallbackChainPolicy(LatencyTracker latency) : ILoadBalancingPolicy
{
    public const string PolicyName = "FallbackChain";

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations) =>
        availableDestinations
            .OrderBy(d => latency.P95(cluster.ClusterId, d.DestinationId) ?? 0)
            .ThenBy(d => d.DestinationId, StringComparer.Ordinal)
            .FirstOrDefault();
}
