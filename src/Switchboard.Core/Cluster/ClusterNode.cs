namespace Switchboard.Cluster;

/// <summary>A node's row in the registry; <see cref="Address"/> is the base URL other processes reach it at.</summary>
public sealed record ClusterNode(string Id, string Address, NodeState State, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);
