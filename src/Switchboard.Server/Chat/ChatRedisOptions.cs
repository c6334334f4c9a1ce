namespace Switchboard.Server.Chat;

/// <summary>
/// Configuration section <c>Chat:Redis</c>. When <see cref="Configuration"/> is set, live chat events cross nodes
/// through SignalR's Redis backplane and presence is shared through Redis; otherwise both stay in this process.
/// </summary>
public sealed class ChatRedisOptions
{
    public const string Section = "Chat:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis:6379,password=…,ssl=true</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of the backplane's channels and the presence keys, so several deployments can share one Redis. Default <c>switchboard</c>.</summary>
    public string Prefix { get; set; } = "switchboard";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
