namespace Switchboard.Broker;

/// <summary>Configuration section <c>Broker</c>: limits on what one request may carry.</summary>
public sealed class BrokerOptions
{
    public const string Section = "Broker";

    /// <summary>Largest message body in bytes (after base64 decoding). Default 1 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Most messages in one publish batch.</summary>
    public int MaxBatchMessages { get; set; } = 1000;

    /// <summary>Most body bytes in one publish batch. Default 4 MiB.</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most messages one receive hands out.</summary>
    public int MaxReceive { get; set; } = 1000;

    /// <summary>Longest long-poll wait of a receive.</summary>
    public int MaxWaitSeconds { get; set; } = 20;

    /// <summary>Longest lease a receive or extend may ask for.</summary>
    public int MaxLeaseSeconds { get; set; } = 12 * 60 * 60;

    /// <summary>Bodies of queued messages kept in memory by the embedded engine, so a receive need not read them back.</summary>
    public long BodyCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How often lease expiry, due delays, TTL and retention are checked.</summary>
    public int SweepIntervalMilliseconds { get; set; } = 100;

    public BrokerHubOptions Hub { get; set; } = new();
}
