using System.Net;
using System.Net.Http.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Platform;

public sealed class RateLimitTests
{
    // A window or bucket refill could land between two requests on a slow machine, so each test sends
    // requests until the limit shows rather than asserting the exact request that trips it.
    private const int MaxAttempts = 40;

    [Fact]
    public async Task Auth_requests_over_the_per_ip_limit_are_a_429_problem_with_retry_after()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Http:RateLimits:AuthPerIpPerMinute"] = "2" });
        using var client = server.CreateClient();

        using var rejected = await SendUntilRejectedAsync(() => client.PostAsync("v1/auth/token", null));

        var problem = await ProblemAssert.IsProblemAsync(rejected, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = rejected.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal((int)retryAfter.Value.TotalSeconds, problem.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task Anonymous_requests_over_the_per_principal_rate_are_limited_per_ip_but_health_is_exempt()
    {
        await using var server = await RunningServer.StartAsync(LimitEveryone());
        using var client = server.CreateClient();

        using var rejected = await SendUntilRejectedAsync(() => client.GetAsync("v1/anything"));
        using var health = await client.GetAsync("healthz");
        using var metrics = await client.GetAsync("metrics");

        await ProblemAssert.IsProblemAsync(rejected, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(rejected.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task Each_principal_has_its_own_budget()
    {
        await using var server = await RunningServer.StartAsync(LimitEveryone());
        // Registration and login are limited per IP under /v1/auth, not per principal, so both users get in.
        using var alice = server.CreateClient(await RegisterAndLoginAsync(server, "alice"));
        using var bob = server.CreateClient(await RegisterAndLoginAsync(server, "bob"));

        using var rejected = await SendUntilRejectedAsync(() => alice.GetAsync("v1/anything"));
        using var other = await bob.GetAsync("v1/anything");

        await ProblemAssert.IsProblemAsync(rejected, HttpStatusCode.TooManyRequests, "rate_limited");
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.NotFound, "route_not_found");
    }

    [Fact]
    public async Task Limits_can_be_turned_off()
    {
        var settings = LimitEveryone();
        settings["Http:RateLimits:Enabled"] = "false";
        await using var server = await RunningServer.StartAsync(settings);
        using var client = server.CreateClient();

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("v1/anything");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    internal static async Task<string> RegisterAndLoginAsync(RunningServer server, string username)
    {
        const string password = "a-long-enough-password";
        using var client = server.CreateClient();
        using var registered = await client.PostAsJsonAsync("v1/auth/register", new { username, password });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return await server.LoginAsync(username, password);
    }

    private static Dictionary<string, string?> LimitEveryone() => new()
    {
        ["Http:RateLimits:PerPrincipalPerSecond"] = "1",
        ["Http:RateLimits:PerPrincipalBurst"] = "1",
    };

    private static async Task<HttpResponseMessage> SendUntilRejectedAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }
            response.Dispose();
        }
        Assert.Fail($"No request of {MaxAttempts} was rate limited.");
        return null!;
    }
}
