using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Hosting;
using Switchboard.Server.Hosting;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard gateway</c>: runs the gateway in front of the nodes until Ctrl+C or SIGTERM.</summary>
internal sealed class GatewayCommand : Command
{
    private readonly CliConsole _console;

    private readonly Option<string?> _urls = new("--urls")
    {
        Description = $"Where the gateway listens, ';'-separated (key Urls). Default {GatewayHost.DefaultUrl}.",
        HelpName = "url;url",
    };

    private readonly Option<string[]> _destinations = new("--destination")
    {
        Description = "A node's base URL, repeatable (key Gateway:Destinations). Used with the discovered nodes.",
        HelpName = "url",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _discovery = new("--discovery")
    {
        Description = "The nodes' PostgreSQL connection string, to follow the node registry (key Gateway:Discovery:ConnectionString). " +
            "Default Storage:Postgres:ConnectionString.",
        HelpName = "connection-string",
    };

    private readonly Option<string?> _environment = new("--environment")
    {
        Description = "The environment; also reads appsettings.{environment}.json (key Environment). Default Production.",
        HelpName = "name",
    };

    public GatewayCommand(CliConsole console)
        : base("gateway", $"Run the gateway: one entry point balanced over the nodes, with health checks, limits and logs (default {GatewayHost.DefaultUrl}).")
    {
        _console = console;
        Options.Add(_urls);
        Options.Add(_destinations);
        Options.Add(_discovery);
        Options.Add(_environment);
        TreatUnmatchedTokensAsErrors = false;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var arguments = new List<string>();
        if (parseResult.GetValue(_urls) is { } urls)
        {
            arguments.Add($"--Urls={urls}");
        }
        var destinations = parseResult.GetValue(_destinations) ?? [];
        for (var i = 0; i < destinations.Length; i++)
        {
            arguments.Add($"--Gateway:Destinations:{i}={destinations[i]}");
        }
        if (parseResult.GetValue(_discovery) is { } discovery)
        {
            arguments.Add($"--Gateway:Discovery:ConnectionString={discovery}");
        }
        if (parseResult.GetValue(_environment) is { } environment)
        {
            arguments.Add($"--Environment={environment}");
        }
        foreach (var token in parseResult.UnmatchedTokens)
        {
            if (!HostOptions.IsSetting(token))
            {
                await _console.Error.WriteLineAsync($"error: '{token}' is not an option of this command. Other settings go as --Section:Key=value (e.g. --Gateway:LoadBalancing=LeastRequests).");
                return ExitCodes.InvalidUsage;
            }
            arguments.Add(token);
        }
        string[] args = [.. arguments];
        WebApplication? built = null;
        try
        {
            // Kestrel reads the gateway's options while the application is built, so validation may fail here already.
            built = GatewayHost.Build(args, (configuration, environmentName) => SwitchboardConfiguration.AddSources(configuration, environmentName, args));
            await built.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ConfigurationErrors.TryRead(ex, out var failures))
        {
            await DisposeAsync(built);
            ConfigurationErrors.Report(_console.Error, failures);
            return ExitCodes.InvalidConfiguration;
        }
        catch (IOException ex)
        {
            await DisposeAsync(built);
            await _console.Error.WriteLineAsync($"error: could not listen: {ex.Message}. Choose another address with --urls (port 0 picks a free one).");
            return ExitCodes.Failure;
        }
        await using var app = built;
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            await _console.Out.WriteLineAsync($"Listening on {address}");
        }
        await _console.Out.WriteLineAsync("Destinations at /gateway/destinations. Press Ctrl+C to stop.");
        await _console.Out.FlushAsync();
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    private static async ValueTask DisposeAsync(WebApplication? app)
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
