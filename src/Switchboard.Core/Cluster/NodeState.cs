namespace Switchboard.Cluster;

/// <summary>What a node tells the gateway about itself.</summary>
public enum NodeState
{
    /// <summary>Serving: in rotation when healthy.</summary>
    Active,

    /// <summary>Shutting down gracefully: finishes what it holds but takes no new requests.</summary>
    Draining,
}
