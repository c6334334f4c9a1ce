using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Health;

/// <summary>
/// An upstream route's fallback chain: among the destinations whose circuit is closed (healthy or not yet judged),
/// the measured one with the lowest recent p95; unmeasured ones come after, in the configured order (destination ids
/// are the chain positions, <c>00</c>, <c>01</c>, …), so traffic stays on the first until it fails, and once
/// several have answered, the fastest healthy one wins.
/// </summary>
internal sealed class FallbackChainPolicy(LatencyTracker latency) : ILoadBalancingPolicy
{
    public const string PolicyName = "FallbackChain";

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations) =>
        availableDestinations
            .Select(d => (Destination: d, P95: latency.P95(cluster.ClusterId, d.DestinationId)))
            .OrderBy(d => d.P95 is null)
            .ThenBy(d => d.P95 ?? 0)
            .ThenBy(d => d.Destination.DestinationId, StringComparer.Ordinal)
            .Select(d => d.Destination)
            .FirstOrDefault();
}
