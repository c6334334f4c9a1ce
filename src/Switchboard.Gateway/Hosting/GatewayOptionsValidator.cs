using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Hosting;

/// <summary>Reports every wrong <c>Gateway:*</c> setting with its key, so one start shows them all.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public static readonly string[] Policies = ["RoundRobin", "LeastRequests", "PowerOfTwoChoices"];

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Destinations.Count; i++)
        {
            CheckBaseUrl(errors, $"Gateway:Destinations:{i}", options.Destinations[i]);
        }
        if (options.Destinations.Count == 0 && string.IsNullOrWhiteSpace(options.Discovery.ConnectionString))
        {
            errors.Add("Gateway:Destinations: no nodes to route to; list node URLs here, or set Gateway:Discovery:ConnectionString (or Storage:Postgres:ConnectionString) to follow the node registry.");
        }
        CheckRange(errors, "Gateway:Discovery:PollInterval", options.Discovery.PollInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "00:00:01");
        CheckRange(errors, "Gateway:Discovery:StaleAfter", options.Discovery.StaleAfter, TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(10), "00:00:06");
        if (!Policies.Contains(options.LoadBalancing, StringComparer.Ordinal))
        {
            errors.Add($"Gateway:LoadBalancing: '{options.LoadBalancing}' is not a policy; use one of {string.Join(", ", Policies)}.");
        }
        var health = options.Health;
        CheckRange(errors, "Gateway:Health:ActiveInterval", health.ActiveInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), "00:00:01");
        CheckRange(errors, "Gateway:Health:ActiveTimeout", health.ActiveTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), "00:00:01");
        CheckRange(errors, "Gateway:Health:Probation", health.Probation, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "00:00:10");
        CheckPath(errors, "Gateway:Health:ActivePath", health.ActivePath);
        CheckPositive(errors, "Gateway:Health:ActiveFailures", health.ActiveFailures, 2);
        CheckPositive(errors, "Gateway:Health:PassiveFailures", health.PassiveFailures, 3);
        CheckPositive(errors, "Gateway:Health:PassiveWindow", health.PassiveWindow, 20);
        if (health.PassiveErrorRate is <= 0 or > 1)
        {
            errors.Add($"Gateway:Health:PassiveErrorRate: must be above 0 and at most 1 (default 0.5), got {health.PassiveErrorRate}.");
        }
        if (options.MaxAttempts is < 1 or > 10)
        {
            errors.Add($"Gateway:MaxAttempts: must be between 1 (no retries) and 10 (default 2), got {options.MaxAttempts}.");
        }
        if (options.MaxRequestBodyBytes <= 0)
        {
            errors.Add($"Gateway:MaxRequestBodyBytes: must be a positive number of bytes (default 8388608), got {options.MaxRequestBodyBytes}.");
        }
        if (options.Auth.JwksUrl is { Length: > 0 } jwks && !IsHttpUrl(jwks))
        {
            errors.Add($"Gateway:Auth:JwksUrl: '{jwks}' is not an http(s) URL; write the nodes' key set, e.g. http://10.0.0.5:8080/.well-known/jwks.json.");
        }
        CheckRange(errors, "Gateway:Auth:Refresh", options.Auth.Refresh, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "00:05:00");
        var limits = options.RateLimits;
        CheckPositive(errors, "Gateway:RateLimits:PerIpPerSecond", limits.PerIpPerSecond, 500);
        CheckPositive(errors, "Gateway:RateLimits:PerUserPerSecond", limits.PerUserPerSecond, 1000);
        if (limits.PerIpBurst < limits.PerIpPerSecond)
        {
            errors.Add($"Gateway:RateLimits:PerIpBurst: must be at least Gateway:RateLimits:PerIpPerSecond ({limits.PerIpPerSecond}), got {limits.PerIpBurst}.");
        }
        if (limits.PerUserBurst < limits.PerUserPerSecond)
        {
            errors.Add($"Gateway:RateLimits:PerUserBurst: must be at least Gateway:RateLimits:PerUserPerSecond ({limits.PerUserPerSecond}), got {limits.PerUserBurst}.");
        }
        foreach (var (id, upstream) in options.Upstreams)
        {
            ValidateUpstream(errors, $"Gateway:Upstreams:{id}", id, upstream);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateUpstream(List<string> errors, string key, string id, UpstreamRouteOptions upstream)
    {
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add($"{key}: the id '{id}' may hold only letters, digits, '-' and '_'.");
        }
        if (string.IsNullOrWhiteSpace(upstream.Path) && upstream.Hosts.Count == 0)
        {
            errors.Add($"{key}:Path: set a path pattern such as /billing/{{**rest}}, or {key}:Hosts, or both.");
        }
        if (upstream.Path is { Length: > 0 } path)
        {
            CheckPath(errors, $"{key}:Path", path);
        }
        if (upstream.Destinations.Count == 0)
        {
            errors.Add($"{key}:Destinations: list at least one base URL of the service.");
        }
        for (var i = 0; i < upstream.Destinations.Count; i++)
        {
            CheckBaseUrl(errors, $"{key}:Destinations:{i}", upstream.Destinations[i]);
        }
        if (upstream.HealthPath is { Length: > 0 } healthPath)
        {
            CheckPath(errors, $"{key}:HealthPath", healthPath);
        }
        if (upstream.RateLimitPerSecond is <= 0)
        {
            errors.Add($"{key}:RateLimitPerSecond: must be at least 1, or unset for no route-wide limit; got {upstream.RateLimitPerSecond}.");
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void CheckBaseUrl(List<string> errors, string key, string value)
    {
        if (!IsHttpUrl(value))
        {
            errors.Add($"{key}: '{value}' is not an http(s) base URL, e.g. http://10.0.0.5:8080.");
        }
    }

    private static void CheckPath(List<string> errors, string key, string value)
    {
        if (!value.StartsWith('/'))
        {
            errors.Add($"{key}: '{value}' must start with '/'.");
        }
    }

    private static void CheckPositive(List<string> errors, string key, int value, int fallback)
    {
        if (value < 1)
        {
            errors.Add($"{key}: must be at least 1 (default {fallback}), got {value}.");
        }
    }

    private static void CheckRange(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max, string fallback)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key}: must be between {min} and {max} (default {fallback}), got {value}.");
        }
    }
}
