using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Server.Hosting;
using Switchboard.Storage;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard config check</c>: builds the same application <c>serve</c> would and runs its start-up
/// validation without starting it, so it reports exactly what <c>serve</c> would refuse.
/// </summary>
internal sealed class ConfigCheckCommand : Command
{
    private readonly CliConsole _console;
    private readonly HostOptions _host = new();

    public ConfigCheckCommand(CliConsole console)
        : base("check", "Validate the configuration (files, SWITCHBOARD_ variables, flags) and list every problem with its key.")
    {
        _console = console;
        _host.AddTo(this);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (app, exitCode) = await _host.BuildValidatedAsync(parseResult, _console.Error);
        if (app is null)
        {
            return exitCode;
        }
        await using (app)
        {
            await PrintSummaryAsync(app);
        }
        return ExitCodes.Ok;
    }

    private async Task PrintSummaryAsync(WebApplication app)
    {
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var data = app.Services.GetRequiredService<IOptions<DataOptions>>().Value;
        var hosting = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value;
        var tls = app.Services.GetRequiredService<IOptions<TlsOptions>>().Value;
        var https = tls.Enabled || hosting.UrlList.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        var certificate = !https ? "off"
            : tls.CertificatePath is { Length: > 0 } path ? Path.GetFullPath(path)
            : $"self-signed, kept in {Path.Combine(data.FullPath, "tls")}";
        await _console.Out.WriteLineAsync("Configuration is valid.");
        await _console.Out.WriteLineAsync($"  Environment: {app.Environment.EnvironmentName}");
        await _console.Out.WriteLineAsync($"  Engine:      {storage.Engine}");
        await _console.Out.WriteLineAsync($"  Data folder: {data.FullPath}");
        await _console.Out.WriteLineAsync($"  Urls:        {string.Join(' ', hosting.UrlList)}");
        await _console.Out.WriteLineAsync($"  TLS:         {certificate}");
    }
}
