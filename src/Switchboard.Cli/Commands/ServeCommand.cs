using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Server.Hosting;
using Switchboard.Storage;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard serve</c>: runs the server in this process until Ctrl+C or SIGTERM.</summary>
internal sealed class ServeCommand : Command
{
    private readonly CliConsole _console;
    private readonly HostOptions _host = new();

    public ServeCommand(CliConsole console)
        : base("serve", "Run the Switchboard server (default http://127.0.0.1:8080, data in ./data, SQLite).")
    {
        _console = console;
        _host.AddTo(this);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (!_host.TryBuildArguments(parseResult, _console.Error, out var arguments))
        {
            return ExitCodes.InvalidUsage;
        }
        WebApplication app;
        try
        {
            app = SwitchboardHost.Build(arguments);
        }
        catch (Exception ex) when (ConfigurationErrors.TryRead(ex, out var failures))
        {
            ConfigurationErrors.Report(_console.Error, failures);
            return ExitCodes.InvalidConfiguration;
        }
        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ConfigurationErrors.TryRead(ex, out var failures))
            {
                ConfigurationErrors.Report(_console.Error, failures);
                return ExitCodes.InvalidConfiguration;
            }
            catch (IOException ex)
            {
                // Kestrel reports a taken port or a missing interface as an IOException.
                var urls = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.Urls;
                await _console.Error.WriteLineAsync($"error: could not listen on {urls}: {ex.Message}");
                await _console.Error.WriteLineAsync("Another process may be using the port, or the address is not on this machine; choose another with --urls (port 0 picks a free one).");
                return ExitCodes.Failure;
            }
            await PrintBannerAsync(app);
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        }
    }

    private async Task PrintBannerAsync(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            await _console.Out.WriteLineAsync($"Listening on {address}");
        }
        var data = app.Services.GetRequiredService<IOptions<DataOptions>>().Value;
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        await _console.Out.WriteLineAsync($"Data folder {data.FullPath} (engine {storage.Engine}, environment {app.Environment.EnvironmentName}).");
        if (addresses.FirstOrDefault() is { } first)
        {
            await _console.Out.WriteLineAsync($"API docs at {first.TrimEnd('/')}/docs. Press Ctrl+C to stop.");
        }
        await _console.Out.FlushAsync();
    }
}
