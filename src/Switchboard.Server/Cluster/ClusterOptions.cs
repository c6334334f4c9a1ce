namespace Switchboard.Server.Cluster;

/// <summary>Configuration section <c>Cluster</c>: how this node announces itself in the node registry a gateway follows.</summary>
internal sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>
    /// Whether the node registers at all. Default: on with the PostgreSQL engine (where several nodes share a
    /// database), off with SQLite.
    /// </summary>
    public bool? Register { get; set; }

    /// <summary>The base URL the gateway reaches this node at. Default: the first address Kestrel listens on.</summary>
    public string? AdvertiseUrl { get; set; }

    /// <summary>This node's id in the registry. Default: a new UUIDv7 each start.</summary>
    public string? NodeId { get; set; }

    /// <summary>How often the node refreshes its row (default 2 s). The gateway drops a node after three missed beats.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On a graceful stop, how long the node keeps serving after it reported itself draining (default 3 s), so the
    /// gateway takes it out of rotation before it refuses connections.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(3);
}
