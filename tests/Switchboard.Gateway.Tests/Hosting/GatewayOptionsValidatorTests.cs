using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Tests.Hosting;

public sealed class GatewayOptionsValidatorTests
{
    private static IReadOnlyList<string> Errors(GatewayOptions options) =>
        new GatewayOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Static_destinations_alone_are_a_valid_configuration()
    {
        Assert.Empty(Errors(new GatewayOptions { Destinations = ["http://127.0.0.1:8080"] }));
    }

    [Fact]
    public void Without_destinations_or_discovery_the_error_says_how_to_give_nodes()
    {
        var error = Assert.Single(Errors(new GatewayOptions()));

        Assert.StartsWith("Gateway:Destinations:", error, StringComparison.Ordinal);
        Assert.Contains("Gateway:Discovery:ConnectionString", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_wrong_key_is_reported_with_its_name()
    {
        var options = new GatewayOptions
        {
            Destinations = ["ftp://node"],
            LoadBalancing = "Random",
            MaxAttempts = 0,
            MaxRequestBodyBytes = 0,
            Health = new GatewayHealthOptions { ActivePath = "readyz", PassiveFailures = 0, PassiveErrorRate = 2, Probation = TimeSpan.Zero },
            Auth = new GatewayAuthOptions { JwksUrl = "jwks.json" },
            RateLimits = new GatewayRateLimitOptions { PerIpPerSecond = 10, PerIpBurst = 5 },
            Upstreams = { ["bad id"] = new UpstreamRouteOptions { RateLimitPerSecond = 0 } },
        };

        var keys = Errors(options).Select(e => e[..e.IndexOf(": ", StringComparison.Ordinal)]).ToList();

        Assert.Equal(
            [
                "Gateway:Destinations:0", "Gateway:LoadBalancing", "Gateway:Health:Probation", "Gateway:Health:ActivePath",
                "Gateway:Health:PassiveFailures", "Gateway:Health:PassiveErrorRate", "Gateway:MaxAttempts", "Gateway:MaxRequestBodyBytes",
                "Gateway:Auth:JwksUrl", "Gateway:RateLimits:PerIpBurst", "Gateway:Upstreams:bad id", "Gateway:Upstreams:bad id:Path",
                "Gateway:Upstreams:bad id:Destinations", "Gateway:Upstreams:bad id:RateLimitPerSecond",
            ],
            keys);
    }
}
