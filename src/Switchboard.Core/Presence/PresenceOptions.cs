namespace Switchboard.Presence;

/// <summary>Configuration section <c>Chat:Presence</c>.</summary>
public sealed class PresenceOptions
{
    public const string Section = "Chat:Presence";

    /// <summary>A connection with no hub call for this long counts as away until its next call. Default 5 min; zero never.</summary>
    public TimeSpan AwayAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a node tells the others (through Redis) that it is alive. Default 5 s.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this long without a heartbeat a node's connections no longer count. Default 20 s.</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
