using System.Text.Json.Serialization;

namespace Switchboard.Monitoring;

/// <summary>
/// One monitor: what to check (<see cref="Kind"/> and the fields that kind reads), how often, and how many failed
/// checks in a row make it down. The id is chosen by its author (it names the monitor in URLs, rules and heartbeats).
/// </summary>
public sealed record MonitorSpec
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string Kind { get; init; }

    public bool Enabled { get; init; } = true;

    public int IntervalSeconds { get; init; } = 60;

    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>Failed checks in a row, after the first, before the monitor is down.</summary>
    public int Retries { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the default rule set applies (HTTP monitors only).</summary>
    public bool DefaultRules { get; init; } = true;

    // http
    public string? Url { get; init; }

    public string Method { get; init; } = "GET";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }

    /// <summary>Status codes or ranges that count as up, e.g. <c>200-299</c>, <c>301</c>; default 200–399.</summary>
    public IReadOnlyList<string> ExpectedStatuses { get; init; } = [];

    /// <summary>Text the response body must contain.</summary>
    public string? Keyword { get; init; }

    public bool FollowRedirects { get; init; } = true;

    public bool VerifyTls { get; init; } = true;

    // tcp, tls, dns
    public string? Host { get; init; }

    public int? Port { get; init; }

    /// <summary>TLS: the certificate must stay valid for at least this many days.</summary>
    public int ExpiryDays { get; init; } = 14;

    /// <summary>DNS: addresses the name must resolve to (any of them); empty accepts any answer.</summary>
    public IReadOnlyList<string> ExpectedAddresses { get; init; } = [];

    // heartbeat
    /// <summary>Heartbeat: how long after the last beat (or since creation) the monitor still counts as up.</summary>
    public int GraceSeconds { get; init; } = 60;

    // internal
    /// <summary>Internal: the broker queue to watch.</summary>
    public string? Queue { get; init; }

    /// <summary>Internal: <c>queue_depth</c>, <c>dlq_depth</c> or <c>oldest_age_seconds</c>.</summary>
    public string? Metric { get; init; }

    /// <summary>Internal: the monitor is down while the metric is above this.</summary>
    public double? Max { get; init; }

    /// <summary><c>api</c> or <c>config</c> (declared under <c>Monitoring:Monitors</c>, read-only over the API).</summary>
    public string Source { get; init; } = "api";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    [JsonIgnore]
    public string DisplayName => Name ?? Id;

    [JsonIgnore]
    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    [JsonIgnore]
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}
