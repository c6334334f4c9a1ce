using Switchboard.Client;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Client;

public sealed class ClientHealthTests
{
    [Fact]
    public async Task Health_and_readiness_need_no_credentials()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new SwitchboardClient(server.BaseAddress);

        var health = await client.GetHealthAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var ready = await client.GetReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("alive", health.Status);
        Assert.True(health.IsHealthy);
        Assert.Equal("ready", ready.Status);
        Assert.Equal("ok", ready.Checks["storage:sqlite"]);
    }

    [Fact]
    public async Task A_base_address_without_a_trailing_slash_still_resolves_paths_under_it()
    {
        await using var server = await RunningServer.StartAsync();
        var address = new Uri(server.BaseAddress.AbsoluteUri.TrimEnd('/'));
        using var client = new SwitchboardClient(address);

        var health = await client.GetHealthAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("alive", health.Status);
        Assert.EndsWith("/", client.BaseAddress.AbsoluteUri);
    }
}
