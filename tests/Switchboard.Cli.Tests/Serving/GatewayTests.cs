using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Cli.Tests.Infrastructure;

namespace Switchboard.Cli.Tests.Serving;

[Collection(ProcessCollection.Name)]
public sealed class GatewayTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Gateway_with_invalid_settings_refuses_to_start_and_names_every_key()
    {
        await using var process = SwitchboardProcess.Start(_folder.Path,
            ["gateway", "--urls", "http://127.0.0.1:0", "--Gateway:LoadBalancing=Fastest", "--Gateway:MaxAttempts=0"]);

        var exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == ExitCodes.InvalidConfiguration, process.ToString());
        Assert.Contains("  Gateway:Destinations: no nodes to route to", process.Error);
        Assert.Contains("  Gateway:LoadBalancing: 'Fastest' is not a policy", process.Error);
        Assert.Contains("  Gateway:MaxAttempts: must be between 1", process.Error);
    }

    [Fact]
    public async Task Gateway_prints_where_it_listens_and_forwards_to_a_node_given_on_the_command_line()
    {
        await using var node = SwitchboardProcess.Start(_folder.Path, ["serve", "--urls", "http://127.0.0.1:0", "--data", _folder.Combine("data")]);
        var nodeUrl = await node.WaitForListeningAsync();
        await using var gateway = SwitchboardProcess.Start(_folder.Path,
            ["gateway", "--urls", "http://127.0.0.1:0", "--destination", nodeUrl.ToString().TrimEnd('/')]);

        var url = await gateway.WaitForListeningAsync();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        using var docs = await client.GetAsync("openapi/v1.json");
        var destinations = await client.GetFromJsonAsync<JsonElement>("gateway/destinations");

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal(nodeUrl.ToString().TrimEnd('/'), destinations.GetProperty("destinations")[0].GetProperty("address").GetString());
    }

    public void Dispose() => _folder.Dispose();
}
