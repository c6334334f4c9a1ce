using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Edge;

public sealed class RateLimitTests
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    [Fact]
    public async Task Past_the_per_ip_burst_the_gateway_answers_429_as_a_problem_with_retry_after()
    {
        await using var node = await Backend.StartAsync("node");
        var settings = RunningGateway.Destinations(node);
        settings["Gateway:RateLimits:PerIpPerSecond"] = "1";
        settings["Gateway:RateLimits:PerIpBurst"] = "3";
        await using var gateway = await RunningGateway.StartAsync(settings);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await gateway.Client.GetAsync("/v1/queues").WaitAsync(Timeout);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }
        var problem = await refused!.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(3, node.Count);
    }

    [Fact]
    public async Task Each_signed_in_user_has_a_budget_of_their_own()
    {
        await using var node = await Backend.StartAsync("node");
        var settings = RunningGateway.Destinations(node);
        settings["Gateway:Auth:JwksUrl"] = node.Url + "/.well-known/jwks.json";
        settings["Gateway:RateLimits:PerUserPerSecond"] = "1";
        settings["Gateway:RateLimits:PerUserBurst"] = "2";
        await using var gateway = await RunningGateway.StartAsync(settings);
        var ana = node.Issue("ana");
        var bo = node.Issue("bo");

        async Task<HttpStatusCode> CallAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/auth/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await gateway.Client.SendAsync(request).WaitAsync(Timeout);
            return response.StatusCode;
        }

        var anas = new[] { await CallAsync(ana), await CallAsync(ana), await CallAsync(ana) };
        var bos = new[] { await CallAsync(bo), await CallAsync(bo) };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], anas);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], bos);
    }
}
