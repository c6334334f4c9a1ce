using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Server.Hosting;

namespace Switchboard.Cli.Tests.Tokens;

public sealed class TokenCommandTests
{
    private const string AdminPassword = "admin-password-for-cli-tests";

    [Fact]
    public async Task An_unreachable_server_exits_Unreachable_and_says_what_to_check()
    {
        var url = $"http://127.0.0.1:{UnusedPort()}";

        var result = await CliRun.InvokeAsync(["token", "--url", url, "--username", "admin", "--password", "x"]);

        Assert.True(result.ExitCode == ExitCodes.Unreachable, result.ToString());
        Assert.Equal("", result.Out);
        Assert.Contains($"could not reach {url}/", result.Error);
        Assert.Contains("switchboard serve", result.Error);
    }

    [Fact]
    public async Task No_password_anywhere_is_invalid_usage_and_lists_the_ways_to_give_one()
    {
        var result = await CliRun.InvokeAsync(["token", "--url", "http://127.0.0.1:1"]);

        Assert.True(result.ExitCode == ExitCodes.InvalidUsage, result.ToString());
        Assert.Contains("SWITCHBOARD_PASSWORD", result.Error);
        Assert.Contains("stdin", result.Error);
    }

    [Fact]
    public async Task A_url_that_is_not_http_is_invalid_usage()
    {
        var result = await CliRun.InvokeAsync(["token", "--url", "ftp://127.0.0.1", "--password", "x"]);

        Assert.True(result.ExitCode == ExitCodes.InvalidUsage, result.ToString());
        Assert.Contains("--url 'ftp://127.0.0.1' is not an http:// or https:// URL", result.Error);
    }

    [Fact]
    public async Task A_server_without_the_operation_is_reported_with_the_problem_code()
    {
        // A plain loopback server that answers every request with a problem document, as an old or foreign server would.
        await using var fake = await FakeProblemServer.StartAsync();

        var result = await CliRun.InvokeAsync(["token", "--url", fake.Url.ToString(), "--password", "x"]);

        Assert.True(result.ExitCode == ExitCodes.NotFound, result.ToString());
        Assert.Equal("", result.Out);
        Assert.Contains("error: route_not_found:", result.Error);
        Assert.Contains("is --url pointing at a Switchboard server", result.Error);
        Assert.Contains("trace id fake-trace", result.Error);
    }

    // The tests below need the identity endpoints (POST /v1/auth/token).

    [Fact]
    public async Task Token_prints_only_the_access_token_on_stdout()
    {
        await using var server = await StartServerAsync();

        var result = await CliRun.InvokeAsync(["token", "--url", server.Url, "--username", "admin", "--password", AdminPassword]);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var token = result.Out.TrimEnd('\n');
        Assert.DoesNotContain('\n', token);
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Token_reads_the_password_from_SWITCHBOARD_PASSWORD_or_stdin()
    {
        await using var server = await StartServerAsync();

        var fromEnvironment = await CliRun.InvokeAsync(["token", "--url", server.Url],
            environment: new Dictionary<string, string> { ["SWITCHBOARD_PASSWORD"] = AdminPassword });
        var fromStdin = await CliRun.InvokeAsync(["token", "--url", server.Url], stdin: AdminPassword + "\n");

        Assert.True(fromEnvironment.ExitCode == ExitCodes.Ok, fromEnvironment.ToString());
        Assert.True(fromStdin.ExitCode == ExitCodes.Ok, fromStdin.ToString());
    }

    [Fact]
    public async Task A_wrong_password_exits_Unauthorized_with_the_code_and_where_the_first_password_is()
    {
        await using var server = await StartServerAsync();

        var result = await CliRun.InvokeAsync(["token", "--url", server.Url, "--username", "admin", "--password", "wrong-password-123"]);

        Assert.True(result.ExitCode == ExitCodes.Unauthorized, result.ToString());
        Assert.Equal("", result.Out);
        Assert.Contains("error: invalid_credentials:", result.Error);
        Assert.Contains("initial-admin-password", result.Error);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<InProcessServer> StartServerAsync()
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
        return new InProcessServer(app, folder, address);
    }

    private sealed class InProcessServer(WebApplication app, TempFolder folder, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();
            folder.Dispose();
        }
    }
}
