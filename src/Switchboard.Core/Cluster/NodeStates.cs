namespace Switchboard.Cluster;

/// <summary>The stored spelling of <see cref="NodeState"/>, the same on every engine.</summary>
public static class NodeStates
{
    public static string ToStored(NodeState state) => state == NodeState.Draining ? "draining" : "active";

    public static NodeState FromStored(string state) => state == "draining" ? NodeState.Draining : NodeState.Active;
}
