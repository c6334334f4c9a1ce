namespace Switchboard.Presence;

/// <summary>
/// Where nodes share presence. Each node reports how many of a user's connections it holds (active and away); a
/// user's presence is the sum over the nodes that still send heartbeats, so a dead node's connections expire.
/// In memory on one node; Redis across nodes.
/// </summary>
public interface IPresenceStore
{
    /// <summary>Replaces this node's counts for <paramref name="userId"/> and stamps its last-seen time.</summary>
    Task<PresenceChange> SetLocalAsync(string userId, int online, int away, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<UserPresence> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Tells the other nodes this one is alive.</summary>
    Task HeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Drops the counts of nodes whose heartbeat stopped; returns the users whose presence that changed.</summary>
    Task<IReadOnlyList<PresenceChange>> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Withdraws every count of this node (a clean shutdown); returns the users whose presence that changed.</summary>
    Task<IReadOnlyList<PresenceChange>> ClearLocalAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
