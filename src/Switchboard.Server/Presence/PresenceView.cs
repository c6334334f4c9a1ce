using Switchboard.Presence;

namespace Switchboard.Server.Presence;

/// <summary>A user's presence (<c>Presence</c> event and <c>GET /v1/users/{id}/presence</c>).</summary>
public sealed class PresenceView
{
    public string UserId { get; init; } = "";

    /// <summary><c>online</c>, <c>away</c> or <c>offline</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>When the user last connected, disconnected or changed status; null when not seen since the server (or Redis) started.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }

    internal static PresenceView From(UserPresence presence) => new()
    {
        UserId = presence.UserId,
        Status = presence.Status switch
        {
            PresenceStatus.Online => "online",
            PresenceStatus.Away => "away",
            _ => "offline",
        },
        LastSeenAt = presence.LastSeenAt,
    };
}
