using Switchboard.Cli.Tests.Infrastructure;

namespace Switchboard.Cli.Tests.Configuration;

/// <summary>Environment variables and settings files are per process, so these run the real binary.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ConfigurationSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private async Task<(int ExitCode, SwitchboardProcess Process)> CheckAsync(string[] args, IDictionary<string, string>? environment = null)
    {
        var process = SwitchboardProcess.Start(_folder.Path, ["config", "check", .. args], environment);
        return (await process.WaitForExitAsync(), process);
    }

    [Fact]
    public async Task A_SWITCHBOARD_environment_variable_sets_its_key()
    {
        var (exitCode, process) = await CheckAsync([], new Dictionary<string, string> { ["SWITCHBOARD_Storage__Engine"] = "bogus" });
        await using var _ = process;

        Assert.True(exitCode == ExitCodes.InvalidConfiguration, process.ToString());
        Assert.Contains("Storage:Engine: 'bogus' is not an engine", process.Error);
    }

    [Fact]
    public async Task The_environment_flag_selects_its_appsettings_file_over_appsettings_json()
    {
        File.WriteAllText(_folder.Combine("appsettings.json"), """{ "Data": { "Path": "base-data" } }""");
        File.WriteAllText(_folder.Combine("appsettings.Staging.json"), """{ "Storage": { "Engine": "from-staging-file" } }""");

        var (stagingExit, staging) = await CheckAsync(["--environment", "Staging"]);
        await using var _ = staging;
        var (productionExit, production) = await CheckAsync([]);
        await using var __ = production;

        Assert.True(stagingExit == ExitCodes.InvalidConfiguration, staging.ToString());
        Assert.Contains("Storage:Engine: 'from-staging-file' is not an engine", staging.Error);
        Assert.True(productionExit == ExitCodes.Ok, production.ToString());
        Assert.Contains("Environment: Production", production.Out);
        Assert.Contains($"Data folder: {_folder.Combine("base-data")}", production.Out);
    }

    [Fact]
    public async Task SWITCHBOARD_Environment_selects_the_appsettings_file_too()
    {
        File.WriteAllText(_folder.Combine("appsettings.Edge.json"), """{ "Urls": "http://127.0.0.1:70001" }""");

        var (exitCode, process) = await CheckAsync([], new Dictionary<string, string> { ["SWITCHBOARD_Environment"] = "Edge" });
        await using var _ = process;

        Assert.True(exitCode == ExitCodes.InvalidConfiguration, process.ToString());
        Assert.Contains("Urls: 'http://127.0.0.1:70001' has port 70001, outside 1–65535.", process.Error);
    }

    [Fact]
    public async Task A_flag_overrides_the_environment_variable_and_the_files()
    {
        File.WriteAllText(_folder.Combine("appsettings.json"), """{ "Storage": { "Engine": "from-file" } }""");

        var (exitCode, process) = await CheckAsync(["--engine", "sqlite"],
            new Dictionary<string, string> { ["SWITCHBOARD_Storage__Engine"] = "from-environment" });
        await using var _ = process;

        Assert.True(exitCode == ExitCodes.Ok, process.ToString());
        Assert.Contains("Engine:      sqlite", process.Out);
    }

    public void Dispose() => _folder.Dispose();
}
