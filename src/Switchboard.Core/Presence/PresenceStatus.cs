namespace Switchboard.Presence;

/// <summary>Online while any connection is active; away when every connection is away (asked for, or idle); offline with none.</summary>
public enum PresenceStatus
{
    Offline,
    Away,
    Online,
}
