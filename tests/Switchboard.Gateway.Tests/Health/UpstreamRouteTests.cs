using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Health;

public sealed class UpstreamRouteTests
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    [Fact]
    public async Task A_fallback_chain_moves_past_a_failing_service_and_reset_closes_its_circuit()
    {
        await using var node = await Backend.StartAsync("node");
        await using var primary = await Backend.StartAsync("primary");
        await using var secondary = await Backend.StartAsync("secondary");
        var settings = RunningGateway.Destinations(node);
        settings["Gateway:Upstreams:mail:Path"] = "/mail/{**rest}";
        settings["Gateway:Upstreams:mail:Fallback"] = "true";
        settings["Gateway:Upstreams:mail:Destinations:0"] = primary.Url;
        settings["Gateway:Upstreams:mail:Destinations:1"] = secondary.Url;
        settings["Gateway:Health:PassiveFailures"] = "2";
        settings["Gateway:Health:Probation"] = "00:10:00";
        await using var gateway = await RunningGateway.StartAsync(settings);

        // Both unmeasured: the chain's first is chosen.
        using (var first = await gateway.Client.GetAsync("/mail/send").WaitAsync(Timeout))
        {
            Assert.Equal("primary", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("node").GetString());
        }
        primary.Failing = true;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Client.GetAsync("/mail/send").WaitAsync(Timeout);
            statuses.Add(response.StatusCode);
        }
        var primaryCalls = primary.Count;
        primary.Failing = false;
        using var reset = await gateway.Client.PostAsync("/gateway/routes/mail/reset", null).WaitAsync(Timeout);
        using var afterReset = await gateway.Client.GetAsync("/mail/send").WaitAsync(Timeout);
        using var unknown = await gateway.Client.PostAsync("/gateway/routes/nope/reset", null).WaitAsync(Timeout);

        // Two failures open the primary's circuit; the rest go to the secondary.
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal(3, primaryCalls);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal("primary", (await afterReset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("node").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, node.Count);
    }

    [Fact]
    public async Task An_upstream_route_with_a_rate_limit_refuses_past_it_for_every_client_together()
    {
        await using var node = await Backend.StartAsync("node");
        await using var service = await Backend.StartAsync("service");
        var settings = RunningGateway.Destinations(node);
        settings["Gateway:Upstreams:search:Hosts:0"] = "search.example.test";
        settings["Gateway:Upstreams:search:Destinations:0"] = service.Url;
        settings["Gateway:Upstreams:search:RateLimitPerSecond"] = "2";
        await using var gateway = await RunningGateway.StartAsync(settings);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/q?x=" + i);
            request.Headers.Host = "search.example.test";
            using var response = await gateway.Client.SendAsync(request).WaitAsync(Timeout);
            statuses.Add(response.StatusCode);
        }
        using var other = await gateway.Client.GetAsync("/q").WaitAsync(Timeout);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, service.Count);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, node.Count);
    }
}
