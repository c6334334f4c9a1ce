using Switchboard.Server.Platform;

namespace Switchboard.Server.Tests.Platform;

public sealed class HttpOptionsValidatorTests
{
    private static readonly HttpOptionsValidator Validator = new();

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(Validator.Validate(null, new HttpOptions()).Succeeded);
    }

    [Fact]
    public void Every_error_names_its_key()
    {
        var options = new HttpOptions
        {
            MaxRequestBodyBytes = 0,
            Cors = new HttpCorsOptions { Origins = ["https://ok.example.com", "https://bad.example.com/path", "not a url", "*"] },
            RateLimits = new HttpRateLimitOptions { AuthPerIpPerMinute = 0, PerPrincipalPerSecond = 0, PerPrincipalBurst = -1 },
        };

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.StartsWith("Http:MaxRequestBodyBytes:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Http:Cors:Origins:1:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Http:Cors:Origins:2:", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.StartsWith("Http:Cors:Origins:0:", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.StartsWith("Http:Cors:Origins:3:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Http:RateLimits:AuthPerIpPerMinute:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Http:RateLimits:PerPrincipalPerSecond:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Http:RateLimits:PerPrincipalBurst:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_with_an_invalid_setting_refuses_to_start_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Infrastructure.RunningServer.StartAsync(new Dictionary<string, string?> { ["Http:MaxRequestBodyBytes"] = "-1" }).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("Http:MaxRequestBodyBytes:", error.Message);
    }
}
