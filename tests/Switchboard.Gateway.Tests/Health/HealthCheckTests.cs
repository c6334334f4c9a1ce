using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Health;

public sealed class HealthCheckTests
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    [Fact]
    public async Task A_node_failing_its_readiness_probe_leaves_rotation_and_returns_when_ready_again()
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        await using var gateway = await RunningGateway.StartAsync(RunningGateway.Destinations(a, b));
        await gateway.WaitForAvailableAsync(d => d.Count == 2, "both destinations");

        b.Ready = false;
        await gateway.WaitForAvailableAsync(d => d.SequenceEqual([a.Url]), "b to leave after failed probes");
        var before = b.Count;
        for (var i = 0; i < 10; i++)
        {
            using var response = await gateway.Client.GetAsync("/x").WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var view = await gateway.DestinationsAsync();
        b.Ready = true;
        await gateway.WaitForAvailableAsync(d => d.Count == 2, "b to return after a good probe");

        Assert.Equal(before, b.Count);
        var state = view.GetProperty("destinations").EnumerateArray().First(d => d.GetProperty("cluster").GetString() == "nodes" && d.GetProperty("address").GetString() == b.Url);
        Assert.Equal("unhealthy", state.GetProperty("active").GetString());
    }

    [Fact]
    public async Task A_dead_node_is_taken_out_by_probes_and_the_gateway_is_unready_when_none_is_left()
    {
        await using var a = await Backend.StartAsync("a");
        await using var gateway = await RunningGateway.StartAsync(RunningGateway.Destinations(a));
        await gateway.WaitForAvailableAsync(d => d.Count == 1, "a");

        await a.StopAsync();
        await gateway.WaitForAvailableAsync(d => d.Count == 0, "a to leave");
        using var ready = await gateway.Client.GetAsync("/readyz").WaitAsync(Timeout);
        var problem = await ready.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
        using var healthz = await gateway.Client.GetAsync("/healthz").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("unavailable", problem.GetProperty("code").GetString());
        Assert.Equal(a.Url, problem.GetProperty("destinations")[0].GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact]
    public async Task A_node_answering_5xx_is_taken_out_by_passive_checks_and_tried_again_after_probation()
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        var settings = RunningGateway.Destinations(a, b);
        settings["Gateway:Health:PassiveFailures"] = "2";
        settings["Gateway:Health:Probation"] = "00:00:01";
        await using var gateway = await RunningGateway.StartAsync(settings);
        await gateway.WaitForAvailableAsync(d => d.Count == 2, "both destinations");
        b.Failing = true;

        // Its probes still pass; only the answers to real requests give it away.
        for (var i = 0; i < 8 && (await gateway.AvailableAsync()).Count == 2; i++)
        {
            using var response = await gateway.Client.GetAsync("/x").WaitAsync(Timeout);
        }
        var failedCalls = b.Count;
        var afterTrip = await gateway.AvailableAsync();
        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.Client.GetAsync("/x").WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var whileOut = b.Count;
        b.Failing = false;
        await gateway.WaitForAvailableAsync(d => d.Count == 2, "b back after probation");
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.GetAsync("/x").WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal([a.Url], afterTrip);
        Assert.Equal(2, failedCalls);
        Assert.Equal(failedCalls, whileOut);
        Assert.Equal(whileOut + 2, b.Count);
    }
}
