using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Routing;

public sealed class RealtimeTests
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    [Theory]
    [InlineData(HttpTransportType.LongPolling)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.WebSockets)]
    public async Task A_signalr_connection_through_the_gateway_stays_on_one_node_for_its_life(HttpTransportType transport)
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        await using var gateway = await RunningGateway.StartAsync(RunningGateway.Destinations(a, b));
        await gateway.WaitForAvailableAsync(d => d.Count == 2, "both destinations");
        var nodes = new HashSet<string>();

        // Negotiate and the transport's requests are separate HTTP requests: without affinity, round-robin would
        // send the second to the node that never issued the connection id, and the connection would fail.
        for (var c = 0; c < 4; c++)
        {
            await using var connection = new HubConnectionBuilder()
                .WithUrl(gateway.Url + "/hubs/echo", transport)
                .Build();
            await connection.StartAsync().WaitAsync(Timeout);
            var answers = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                answers.Add(await connection.InvokeAsync<string>("WhoAmI").WaitAsync(Timeout));
            }
            Assert.Single(answers.Distinct());
            Assert.EndsWith("/" + connection.ConnectionId, answers[0], StringComparison.Ordinal);
            nodes.Add(answers[0].Split('/')[0]);
            await connection.StopAsync().WaitAsync(Timeout);
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/healthz").WaitAsync(Timeout)).StatusCode);
        Assert.NotEmpty(nodes);
    }

    [Fact]
    public async Task When_its_node_dies_a_client_reconnects_through_the_gateway_to_another_node()
    {
        await using var a = await Backend.StartAsync("a");
        await using var b = await Backend.StartAsync("b");
        await using var gateway = await RunningGateway.StartAsync(RunningGateway.Destinations(a, b));
        await gateway.WaitForAvailableAsync(d => d.Count == 2, "both destinations");
        await using var connection = new HubConnectionBuilder()
            .WithUrl(gateway.Url + "/hubs/echo", HttpTransportType.WebSockets)
            .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)])
            .Build();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Reconnected += _ =>
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync().WaitAsync(Timeout);
        var first = (await connection.InvokeAsync<string>("WhoAmI").WaitAsync(Timeout)).Split('/')[0];

        await (first == "a" ? a : b).StopAsync();
        await reconnected.Task.WaitAsync(Timeout);
        var second = (await connection.InvokeAsync<string>("WhoAmI").WaitAsync(Timeout)).Split('/')[0];

        Assert.NotEqual(first, second);
    }
}
