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

    [Theory]
    [InlineData("auto", false)]
    [InlineData("text", true)]
    public async Task Serve_logs_json_lines_to_redirected_output_and_readable_lines_when_asked(string format, bool text)
    {
        var data = _folder.Combine("data");
        await using var process = SwitchboardProcess.Start(_folder.Path,
            ["serve", "--urls", "http://127.0.0.1:0", "--data", data, "--Operations:Logs:ConsoleFormat=" + format]);

        await process.WaitForListeningAsync();
        await process.KillAsync();

        Assert.Contains("Listening on http://127.0.0.1:", process.Out);
        var logLines = process.Out.Split('\n').Where(l => l.Contains("initial admin user", StringComparison.Ordinal)).ToArray();
        Assert.True(logLines.Length > 0, process.ToString());
        if (text)
        {
            Assert.All(logLines, l => Assert.Matches(@"^\[\d\d:\d\d:\d\d WRN\] Created the initial admin user 'admin'", l));
        }
        else
        {
            Assert.All(logLines, l => Assert.StartsWith("{\"@t\":", l));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_with_values_of_the_wrong_type_names_each_key_and_opens_nothing(bool portTaken)
    {
        using var occupant = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = portTaken ? ((IPEndPoint)occupant.LocalEndpoint).Port : 0;
        var data = _folder.Combine("data");
        await using var process = SwitchboardProcess.Start(_folder.Path,
            ["serve", "--urls", $"http://127.0.0.1:{port}", "--data", data, "--Broker:MaxMessageBytes=abc", "--Chat:MaxGroupMembers=1"],
            new Dictionary<string, string> { ["SWITCHBOARD_Identity__AccessTokenMinutes"] = "abc" });

        var exitCode = await process.WaitForExitAsync();

        Assert.True(exitCode == ExitCodes.InvalidConfiguration, process.ToString());
        Assert.Contains("  Identity:AccessTokenMinutes: 'abc' is not a whole number (Int32).", process.Error);
        Assert.Contains("  Broker:MaxMessageBytes: 'abc' is not a whole number (Int32).", process.Error);
        Assert.Contains("  Chat:MaxGroupMembers: 1 is outside 3–10000", process.Error);
        Assert.DoesNotContain("Exception", process.ToString());
        Assert.DoesNotContain("password", process.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Listening on", process.Out);
        Assert.False(Directory.Exists(data), "serve created the data folder before the configuration was valid");
    }

    public void Dispose() => _folder.Dispose();
}
