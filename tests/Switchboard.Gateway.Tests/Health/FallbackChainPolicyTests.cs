using Switchboard.Gateway.Health;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Tests.Health;

public sealed class FallbackChainPolicyTests
{
    private static readonly ClusterState Cluster = new("upstream-mail");

    private static DestinationState[] Chain(params string[] ids) => ids.Select(id => new DestinationState(id)).ToArray();

    [Fact]
    public void Among_measured_destinations_the_lowest_p95_wins_whatever_its_place_in_the_chain()
    {
        var latency = new LatencyTracker();
        var chain = Chain("00", "01", "02");
        for (var i = 0; i < 100; i++)
        {
            // 00 is fast most of the time but slow in its tail; 01 is steady.
            latency.Record(Cluster.ClusterId, "00", TimeSpan.FromMilliseconds(i < 90 ? 5 : 400));
            latency.Record(Cluster.ClusterId, "01", TimeSpan.FromMilliseconds(30));
        }

        var picked = new FallbackChainPolicy(latency).PickDestination(new DefaultHttpContext(), Cluster, chain);

        Assert.Equal("01", picked?.DestinationId);
    }

    [Fact]
    public void Unmeasured_destinations_come_after_measured_ones_in_chain_order()
    {
        var latency = new LatencyTracker();
        var policy = new FallbackChainPolicy(latency);

        var fresh = policy.PickDestination(new DefaultHttpContext(), Cluster, Chain("00", "01", "02"));
        latency.Record(Cluster.ClusterId, "02", TimeSpan.FromMilliseconds(900));
        var measured = policy.PickDestination(new DefaultHttpContext(), Cluster, Chain("00", "01", "02"));
        var firstOut = policy.PickDestination(new DefaultHttpContext(), Cluster, Chain("01"));

        Assert.Equal("00", fresh?.DestinationId);
        Assert.Equal("02", measured?.DestinationId);
        Assert.Equal("01", firstOut?.DestinationId);
        Assert.Null(policy.PickDestination(new DefaultHttpContext(), Cluster, []));
    }
}
