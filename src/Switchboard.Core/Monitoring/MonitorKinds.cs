namespace Switchboard.Monitoring;

/// <summary>What a monitor checks: one probe per kind.</summary>
public static class MonitorKinds
{
    public const string Http = "http";
    public const string Tcp = "tcp";
    public const string Tls = "tls";
    public const string Dns = "dns";
    public const string Heartbeat = "heartbeat";
    public const string Internal = "internal";

    public static IReadOnlyList<string> All { get; } = [Http, Tcp, Tls, Dns, Heartbeat, Internal];
}
