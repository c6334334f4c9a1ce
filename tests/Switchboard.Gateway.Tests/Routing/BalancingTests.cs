using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Routing;

public sealed class BalancingTests
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    [Fact]
    public async Task Round_robin_sends_each_backend_the_same_share()
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        await using var c = await Backend.StartAsync("c");
        await using var gateway = await RunningGateway.StartAsync(RunningGateway.Destinations(a, b, c));
        await gateway.WaitForAvailableAsync(d => d.Count == 3, "three destinations");

        for (var i = 0; i < 30; i++)
        {
            using var response = await gateway.Client.GetAsync($"/v1/queues?i={i}").WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal([10, 10, 10], new[] { a.Count, b.Count, c.Count });
    }

    [Theory]
    [InlineData("LeastRequests")]
    [InlineData("PowerOfTwoChoices")]
    public async Task The_other_policies_spread_requests_over_every_backend(string policy)
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        var settings = RunningGateway.Destinations(a, b);
        settings["Gateway:LoadBalancing"] = policy;
        await using var gateway = await RunningGateway.StartAsync(settings);
        await gateway.WaitForAvailableAsync(d => d.Count == 2, "two destinations");

        // Concurrent requests: least-requests and power-of-two only differ from "first" when some are in flight.
        await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            using var response = await gateway.Client.GetAsync($"/x?i={i}").WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }));

        Assert.Equal(60, a.Count + b.Count);
        Assert.True(a.Count > 0 && b.Count > 0, $"a got {a.Count}, b got {b.Count}");
    }

    [Fact]
    public async Task Forwarded_headers_and_the_callers_trace_reach_the_node()
    {
        await using var a = await Backend.StartAsync("a");
        await using var gateway = await RunningGateway.StartAsync(RunningGateway.Destinations(a));
        await gateway.WaitForAvailableAsync(d => d.Count == 1, "one destination");
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/stats");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await gateway.Client.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(a.Seen);
        Assert.Contains(traceId, seen.Headers["traceparent"], StringComparison.Ordinal);
        Assert.DoesNotContain("00f067aa0ba902b7", seen.Headers["traceparent"], StringComparison.Ordinal);
        // The edge replaces what the client claimed with the address it really came from.
        Assert.Equal("127.0.0.1", seen.Headers["X-Forwarded-For"]);
        Assert.Equal("http", seen.Headers["X-Forwarded-Proto"]);
        Assert.Equal(new Uri(gateway.Url).Authority, seen.Headers["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task The_login_and_register_aliases_reach_the_auth_endpoints_and_saude_is_the_gateways_readiness()
    {
        await using var a = await Backend.StartAsync("a");
        await using var gateway = await RunningGateway.StartAsync(RunningGateway.Destinations(a));
        await gateway.WaitForAvailableAsync(d => d.Count == 1, "one destination");

        using var login = await gateway.Client.PostAsJsonAsync("/login", new { username = "ana", password = "secret" }).WaitAsync(Timeout);
        using var register = await gateway.Client.PostAsJsonAsync("/register", new { username = "bo", password = "secret" }).WaitAsync(Timeout);
        var saude = await gateway.Client.GetFromJsonAsync<JsonElement>("/saude").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        Assert.Equal(["/v1/auth/token", "/v1/auth/register"], a.Seen.Select(s => s.PathAndQuery));
        Assert.Contains("\"ana\"", a.Seen.First().Body, StringComparison.Ordinal);
        Assert.Equal("ready", saude.GetProperty("status").GetString());
        Assert.Equal(a.Url, saude.GetProperty("destinations")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_a_413_problem_before_any_node_sees_it()
    {
        await using var a = await Backend.StartAsync("a");
        var settings = RunningGateway.Destinations(a);
        settings["Gateway:MaxRequestBodyBytes"] = "1000";
        await using var gateway = await RunningGateway.StartAsync(settings);

        using var response = await gateway.Client.PostAsync("/v1/queues/q/messages", new ByteArrayContent(new byte[1001])).WaitAsync(Timeout);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("payload_too_large", problem.GetProperty("code").GetString());
        Assert.Equal(0, a.Count);
    }
}
