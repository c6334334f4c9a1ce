namespace Switchboard.Presence;

/// <summary>A user's presence before and after one node changed its share of the user's connections.</summary>
public sealed record PresenceChange(UserPresence Before, UserPresence After)
{
    public bool StatusChanged => Before.Status != After.Status;
}
