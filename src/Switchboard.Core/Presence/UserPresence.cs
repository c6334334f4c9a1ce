namespace Switchboard.Presence;

/// <summary>A user's presence across every node and device.</summary>
/// <param name="Connections">Live connections across the nodes that still report.</param>
/// <param name="LastSeenAt">When the user last connected, disconnected or changed status; null when never seen since the store started.</param>
public sealed record UserPresence(string UserId, PresenceStatus Status, int Connections, DateTimeOffset? LastSeenAt)
{
    public static UserPresence Offline(string userId, DateTimeOffset? lastSeenAt) => new(userId, PresenceStatus.Offline, 0, lastSeenAt);

    /// <summary>The status of <paramref name="online"/> active and <paramref name="away"/> away connections.</summary>
    public static PresenceStatus StatusOf(int online, int away) =>
        online > 0 ? PresenceStatus.Online : away > 0 ? PresenceStatus.Away : PresenceStatus.Offline;
}
