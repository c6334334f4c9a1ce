namespace Switchboard.Server.Hosting;

/// <summary>
/// Where settings come from, lowest precedence first: <c>appsettings.json</c>,
/// <c>appsettings.{Environment}.json</c>, environment variables prefixed <c>SWITCHBOARD_</c>
/// (<c>SWITCHBOARD_Storage__Engine=postgres</c>), then command-line flags.
/// </summary>
public static class SwitchboardConfiguration
{
    public const string EnvironmentPrefix = "SWITCHBOARD_";

    /// <summary>Short flags of the `switchboard` command and the keys they set.</summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--urls"] = "Urls",
        ["--data"] = "Data:Path",
        ["--environment"] = "Environment",
        ["--engine"] = "Storage:Engine",
        ["--tls"] = "Tls:Enabled",
    };

    public static void AddSources(IConfigurationManager configuration, string environmentName, string[] args)
    {
        configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        configuration.AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args, SwitchMappings.ToDictionary());
    }

    /// <summary>
    /// The environment named by <c>--environment</c> or <c>SWITCHBOARD_Environment</c>, which selects
    /// <c>appsettings.{Environment}.json</c>; null leaves the choice to <c>DOTNET_ENVIRONMENT</c>/<c>ASPNETCORE_ENVIRONMENT</c>.
    /// </summary>
    public static string? EnvironmentFrom(string[] args)
    {
        var bootstrap = new ConfigurationBuilder()
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(args, SwitchMappings.ToDictionary())
            .Build();
        return string.IsNullOrWhiteSpace(bootstrap["Environment"]) ? null : bootstrap["Environment"];
    }

    /// <summary>The same sources without a host, for <c>switchboard config check</c>.</summary>
    public static IConfigurationRoot BuildStandalone(string[] args, string? environmentName = null)
    {
        var bootstrap = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args, SwitchMappings.ToDictionary())
            .Build();
        environmentName ??= bootstrap["Environment"] ?? Environments.Production;
        var manager = new ConfigurationManager();
        manager.SetBasePath(Directory.GetCurrentDirectory());
        manager.AddEnvironmentVariables("ASPNETCORE_");
        AddSources(manager, environmentName, args);
        return manager;
    }
}
