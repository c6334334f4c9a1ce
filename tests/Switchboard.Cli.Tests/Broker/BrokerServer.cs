using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Client;
using Switchboard.Server.Hosting;

namespace Switchboard.Cli.Tests.Broker;

/// <summary>A real server in this process on a free loopback port, with its own data folder, for the broker commands to talk to.</summary>
public sealed class BrokerServer : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-broker-cli-tests";

    private readonly WebApplication _app;
    private readonly TempFolder _folder;

    private BrokerServer(WebApplication app, TempFolder folder, string url)
    {
        _app = app;
        _folder = folder;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The environment a command needs to log in as admin.</summary>
    public Dictionary<string, string> AdminEnvironment => new() { ["SWITCHBOARD_PASSWORD"] = AdminPassword };

    public static async Task<BrokerServer> StartAsync()
    {
        var folder = new TempFolder();
        var app = SwitchboardHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Data:Path"] = folder.Path,
            ["Identity:BootstrapAdminPassword"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BrokerServer(app, folder, address);
    }

    /// <summary>An SDK client logged in as admin, to arrange and check what the commands did.</summary>
    public SwitchboardClient AdminClient() => new(new Uri(Url), SwitchboardCredentials.FromPassword("admin", AdminPassword));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}
