namespace Switchboard.Server.Platform;

/// <summary>Configuration section <c>Http</c>: limits and cross-cutting behaviour of every HTTP request.</summary>
internal sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Largest request body Kestrel accepts (default 8 MiB, twice the broker's 4 MiB batch). Endpoints may lower or raise it.</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Addresses (<c>10.0.0.7</c>) or networks (<c>10.0.0.0/24</c>) of proxies such as the gateway whose
    /// <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> this node believes. None by default: the headers are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public HttpCorsOptions Cors { get; set; } = new();

    public HttpRateLimitOptions RateLimits { get; set; } = new();
}

/// <summary><c>Http:Cors</c>: browsers on these origins may call the API. None by default, so no CORS headers at all.</summary>
internal sealed class HttpCorsOptions
{
    /// <summary>Origins such as <c>https://console.example.com</c>, or <c>*</c> for any origin (credentials are never allowed).</summary>
    public List<string> Origins { get; set; } = [];
}

/// <summary><c>Http:RateLimits</c>: one global limiter partitioned per client.</summary>
internal sealed class HttpRateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per minute per client IP under <c>/v1/auth/</c> (login, refresh, register).</summary>
    public int AuthPerIpPerMinute { get; set; } = 30;

    /// <summary>Sustained requests per second per principal (user, API key) or, when anonymous, per IP.</summary>
    public int PerPrincipalPerSecond { get; set; } = 1000;

    /// <summary>Requests a principal may make at once before the sustained rate applies.</summary>
    public int PerPrincipalBurst { get; set; } = 2000;
}
