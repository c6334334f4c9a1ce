using System.Net;
using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Tests.Contract;

namespace Switchboard.Cli.Tests.Serving;

[Collection(ProcessCollection.Name)]
public sealed class ServeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Serve_with_an_unknown_engine_refuses_to_start_and_names_the_key()
    {
        await using var process = SwitchboardProcess.Start(_folder.Path,
            ["serve", "--urls", "http://127.0.0.1:0", "--data", _folder.Combine("data"), "--engine", "bogus"]);

        var exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == ExitCodes.InvalidConfiguration, process.ToString());
        Assert.Contains("  Storage:Engine: 'bogus' is not an engine; use one of sqlite, postgres.", process.Error);
        Assert.Contains("switchboard config check", process.Error);
        Assert.DoesNotContain("Listening on", process.Out);
    }

    [Fact]
    public async Task Serve_with_an_invalid_url_refuses_to_start_and_names_the_key()
    {
        await using var process = SwitchboardProcess.Start(_folder.Path, ["serve", "--urls", "http://127.0.0.1:70000", "--data", _folder.Combine("data")]);

        var exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == ExitCodes.InvalidConfiguration, process.ToString());
        Assert.Contains("  Urls: 'http://127.0.0.1:70000' has port 70000, outside 1–65535.", process.Error);
    }

    [Fact]
    public async Task Serve_prints_where_it_listens_and_answers_health_over_http()
    {
        var data = _folder.Combine("data");
        await using var process = SwitchboardProcess.Start(_folder.Path, ["serve", "--urls", "http://127.0.0.1:0", "--data", data]);

        var url = await process.WaitForListeningAsync();
        using var client = ContractCheckingHandler.CreateClient(url);
        using var health = await client.GetAsync("healthz");
        using var ready = await client.GetAsync("readyz");

        Assert.Equal("http", url.Scheme);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.NotEqual(0, url.Port);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains($"Data folder {data} (engine sqlite, environment Production).", process.Out);
        Assert.True(File.Exists(Path.Combine(data, "switchboard.db")), process.ToString());
    }

    [Fact]
    public async Task Serve_uses_the_data_folder_and_urls_from_settings_in_the_working_directory()
    {
        File.WriteAllText(_folder.Combine("appsettings.json"), """{ "Urls": "http://127.0.0.1:0", "Data": { "Path": "from-settings" } }""");
        await using var process = SwitchboardProcess.Start(_folder.Path, ["serve"]);

        var url = await process.WaitForListeningAsync();
        using var client = ContractCheckingHandler.CreateClient(url);
        using var health = await client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(File.Exists(_folder.Combine("from-settings", "switchboard.db")), process.ToString());
    }

    [Fact]
    public async Task Serve_on_a_port_already_in_use_fails_and_suggests_another()
    {
        using var occupant = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await CliRun.InvokeAsync(["serve", "--urls", $"http://127.0.0.1:{port}", "--data", _folder.Combine("data")]);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains($"could not listen on http://127.0.0.1:{port}", result.Error);
        Assert.Contains("choose another with --urls", result.Error);
    }

    public void Dispose() => _folder.Dispose();
}
