namespace Switchboard.Presence;

/// <summary>Told when a user's status changes; the server sends it to the user's conversation peers.</summary>
public interface IPresenceEvents
{
    Task PresenceChangedAsync(UserPresence presence, CancellationToken cancellationToken = default);
}
