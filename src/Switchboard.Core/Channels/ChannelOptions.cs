namespace Switchboard.Channels;

/// <summary>Configuration section <c>Channels</c>: the named instances, the routes between them, and delivery tuning.</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>Channel instances by name (<c>Channels:Instances:&lt;name&gt;</c>).</summary>
    public Dictionary<string, ChannelInstanceOptions> Instances { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Fallback chains by name (<c>Channels:Routes:&lt;name&gt;</c>): instance names, tried in order.</summary>
    public Dictionary<string, List<string>> Routes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Hosts, IP addresses or CIDR ranges that outgoing requests may reach even though they are loopback or private.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    public DeliveryOptions Delivery { get; set; } = new();
}
