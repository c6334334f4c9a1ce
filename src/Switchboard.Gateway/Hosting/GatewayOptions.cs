namespace Switchboard.Gateway.Hosting;

/// <summary>Configuration section <c>Gateway</c>: where the nodes are, how requests are spread, checked and limited.</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Node base URLs written by hand (<c>http://10.0.0.5:8080</c>); used alongside the discovered ones.</summary>
    public List<string> Destinations { get; set; } = [];

    public GatewayDiscoveryOptions Discovery { get; set; } = new();

    /// <summary><c>RoundRobin</c> (default), <c>LeastRequests</c> or <c>PowerOfTwoChoices</c>.</summary>
    public string LoadBalancing { get; set; } = "RoundRobin";

    public GatewayHealthOptions Health { get; set; } = new();

    /// <summary>
    /// Attempts per request, the first included (default 2). A request is tried again on another node only when the
    /// node could not be reached, it is idempotent or carries <c>Idempotency-Key</c>, and none of its body was sent.
    /// </summary>
    public int MaxAttempts { get; set; } = 2;

    /// <summary>Largest request body the gateway forwards (default 8 MiB, as a node accepts).</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    public GatewayAuthOptions Auth { get; set; } = new();

    public GatewayRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Routes to the operator's own services, by id.</summary>
    public Dictionary<string, UpstreamRouteOptions> Upstreams { get; set; } = new(StringComparer.Ordinal);
}

/// <summary><c>Gateway:Discovery</c>: following the node registry in PostgreSQL.</summary>
internal sealed class GatewayDiscoveryOptions
{
    /// <summary>The nodes' database. Default: <c>Storage:Postgres:ConnectionString</c> when set; otherwise no discovery.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How often the registry is read (default 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A node whose last heartbeat is older than this leaves rotation (default 6 s, three of a node's beats).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(6);
}

/// <summary><c>Gateway:Health</c>: active probes of each node's <c>/readyz</c>, and passive judgement of live traffic.</summary>
internal sealed class GatewayHealthOptions
{
    /// <summary>Time between probes (default 1 s): with two failures to take a node out, a dead one leaves within about 2 s.</summary>
    public TimeSpan ActiveInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ActiveTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public string ActivePath { get; set; } = "/readyz";

    /// <summary>Failed probes in a row that take a destination out (default 2); one good probe brings it back.</summary>
    public int ActiveFailures { get; set; } = 2;

    /// <summary>Failures in a row (unreachable, or a 5xx answer) that take a destination out (default 3).</summary>
    public int PassiveFailures { get; set; } = 3;

    /// <summary>Share of 5xx answers among the last <see cref="PassiveWindow"/> that takes a destination out (default 0.5).</summary>
    public double PassiveErrorRate { get; set; } = 0.5;

    /// <summary>Answers the error rate is computed over (default 20); below that many, only the failures in a row count.</summary>
    public int PassiveWindow { get; set; } = 20;

    /// <summary>How long a destination taken out by passive checks stays out before it is tried again (default 10 s).</summary>
    public TimeSpan Probation { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary><c>Gateway:Auth</c>: validating Switchboard access tokens at the edge with the nodes' published keys.</summary>
internal sealed class GatewayAuthOptions
{
    /// <summary>The nodes' key set, e.g. <c>http://10.0.0.5:8080/.well-known/jwks.json</c>. Unset: tokens are left to the nodes.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>The issuer the nodes sign with (<c>Identity:Issuer</c>, default <c>switchboard</c>); tokens of other issuers pass to the nodes.</summary>
    public string Issuer { get; set; } = "switchboard";

    /// <summary>The audience the nodes sign for (<c>Identity:Audience</c>, default <c>switchboard</c>).</summary>
    public string Audience { get; set; } = "switchboard";

    /// <summary>How often the key set is fetched again (default 5 min); an unknown key id fetches it at once.</summary>
    public TimeSpan Refresh { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary><c>Gateway:RateLimits</c>: token buckets per client IP and per signed-in user.</summary>
internal sealed class GatewayRateLimitOptions
{
    public bool Enabled { get; set; } = true;

    public int PerIpPerSecond { get; set; } = 500;

    public int PerIpBurst { get; set; } = 1000;

    public int PerUserPerSecond { get; set; } = 1000;

    public int PerUserBurst { get; set; } = 2000;
}

/// <summary><c>Gateway:Upstreams:{id}</c>: a route to one of the operator's own services.</summary>
internal sealed class UpstreamRouteOptions
{
    /// <summary>Path pattern, e.g. <c>/billing/{**rest}</c>. At least one of path and hosts.</summary>
    public string? Path { get; set; }

    public List<string> Hosts { get; set; } = [];

    /// <summary>Base URLs of the service. With <see cref="Fallback"/>, the order of the chain.</summary>
    public List<string> Destinations { get; set; } = [];

    /// <summary>Path probed actively on each destination; unset: passive checks only.</summary>
    public string? HealthPath { get; set; }

    /// <summary>Whether a valid access token is required at the edge (default false).</summary>
    public bool RequireAuth { get; set; }

    /// <summary>Requests per second for the whole route across clients; unset: only the per-client limits.</summary>
    public int? RateLimitPerSecond { get; set; }

    /// <summary>
    /// Destinations form a fallback chain: each has its own circuit (passive health), and among the healthy ones
    /// the one with the lowest p95 latency is chosen, earlier ones first when they tie.
    /// </summary>
    public bool Fallback { get; set; }
}
