using Microsoft.Extensions.Options;

namespace Switchboard.Server.Platform;

internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var errors = new List<string>();
        if (options.MaxRequestBodyBytes <= 0)
        {
            errors.Add($"Http:MaxRequestBodyBytes: must be a positive number of bytes (default 8388608), got {options.MaxRequestBodyBytes}.");
        }
        for (var i = 0; i < options.Cors.Origins.Count; i++)
        {
            var origin = options.Cors.Origins[i];
            if (origin == "*")
            {
                continue;
            }
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                errors.Add($"Http:Cors:Origins:{i}: '{origin}' is not an origin; write scheme, host and optional port without a path, e.g. https://console.example.com, or * for any origin.");
            }
        }
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.TrustedProxies[i], out _) && !System.Net.IPAddress.TryParse(options.TrustedProxies[i], out _))
            {
                errors.Add($"Http:TrustedProxies:{i}: '{options.TrustedProxies[i]}' is neither an IP address (10.0.0.7) nor a network (10.0.0.0/24).");
            }
        }
        var limits = options.RateLimits;
        if (limits.AuthPerIpPerMinute <= 0)
        {
            errors.Add($"Http:RateLimits:AuthPerIpPerMinute: must be at least 1 (default 30), got {limits.AuthPerIpPerMinute}; set Http:RateLimits:Enabled=false to turn limits off.");
        }
        if (limits.PerPrincipalPerSecond <= 0)
        {
            errors.Add($"Http:RateLimits:PerPrincipalPerSecond: must be at least 1 (default 1000), got {limits.PerPrincipalPerSecond}; set Http:RateLimits:Enabled=false to turn limits off.");
        }
        if (limits.PerPrincipalBurst < limits.PerPrincipalPerSecond)
        {
            errors.Add($"Http:RateLimits:PerPrincipalBurst: must be at least Http:RateLimits:PerPrincipalPerSecond ({limits.PerPrincipalPerSecond}), got {limits.PerPrincipalBurst}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
