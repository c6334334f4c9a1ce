using System.Net;
using System.Text;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Routing;

/// <summary>
/// One live node and one whose port refuses connections, kept in rotation (no probes in the test's time, passive
/// checks lenient) so round-robin sends every other request to the dead one.
/// </summary>
public sealed class RetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    private Backend _live = null!;
    private Backend _dead = null!;
    private RunningGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _live = await Backend.StartAsync("live");
        _dead = await Backend.StartAsync("dead");
        await _dead.StopAsync();
        var settings = RunningGateway.Destinations(_live, _dead);
        settings["Gateway:Health:ActiveInterval"] = "00:05:00";
        settings["Gateway:Health:ActiveFailures"] = "5";
        settings["Gateway:Health:PassiveFailures"] = "1000";
        settings["Gateway:Health:PassiveWindow"] = "1000";
        settings["Gateway:Health:PassiveErrorRate"] = "1";
        _gateway = await RunningGateway.StartAsync(settings);
    }

    [Fact]
    public async Task Idempotent_requests_that_hit_the_dead_node_are_answered_by_the_live_one()
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Get })
        {
            for (var i = 0; i < 2; i++)
            {
                using var response = await _gateway.Client.SendAsync(new HttpRequestMessage(method, "/v1/kv/b/k") { Content = method == HttpMethod.Put ? new StringContent("v") : null }).WaitAsync(Timeout);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        Assert.Equal(8, _live.Count);
    }

    [Fact]
    public async Task A_post_without_idempotency_key_is_never_retried()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await _gateway.Client.PostAsync("/v1/queues/q/messages", new StringContent($"m{i}")).WaitAsync(Timeout);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.BadGateway));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, _live.Count);
    }

    [Fact]
    public async Task A_post_with_idempotency_key_is_retried_with_its_whole_body()
    {
        var body = new string('x', 20_000) + "end";
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/queues/q/messages") { Content = new StringContent(body + i, Encoding.UTF8) };
            request.Headers.Add("Idempotency-Key", $"key-{i}");
            using var response = await _gateway.Client.SendAsync(request).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(Enumerable.Range(0, 4).Select(i => body + i), _live.Seen.Select(s => s.Body));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _dead.DisposeAsync();
        await _live.DisposeAsync();
    }
}
