namespace Switchboard.Cluster;

/// <summary>
/// The nodes of a cluster as they announce themselves: each node heartbeats its row, the gateway reads the live ones
/// and routes to those that are active. Times come from the store's clock, so nodes' clocks need not agree.
/// </summary>
public interface INodeRegistry
{
    /// <summary>Registers the node or refreshes its row: address, state, and a heartbeat of now.</summary>
    Task HeartbeatAsync(string nodeId, string address, NodeState state, CancellationToken cancellationToken = default);

    /// <summary>Removes the node's row: a clean stop, so the node leaves at once rather than when its heartbeat ages out.</summary>
    Task RemoveAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>Every node whose last heartbeat is younger than <paramref name="staleAfter"/>, in id order.</summary>
    Task<IReadOnlyList<ClusterNode>> ListLiveAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default);
}
