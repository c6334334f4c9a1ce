using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Identity;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard keys rotate</c>: adds a new signing key to the data folder. It only adds a file, so it is
/// safe while the server runs; the server starts signing with the new key within seconds and keeps the
/// old ones for validation until every token they signed has expired.
/// </summary>
internal sealed class KeysRotateCommand : Command
{
    private readonly CliConsole _console;
    private readonly HostOptions _host = new();

    public KeysRotateCommand(CliConsole console)
        : base("rotate", "Add a new token-signing key; older keys keep validating until their tokens expire.")
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
        string folder;
        await using (app)
        {
            // The same configuration sources as serve, so the command finds the folder the server uses.
            folder = app.Services.GetRequiredService<IOptions<DataOptions>>().Value.FullPath;
        }
        try
        {
            var kid = SigningKeyRing.Rotate(folder);
            await _console.Out.WriteLineAsync($"Added signing key {kid} in {Path.Combine(folder, SigningKeyRing.FolderName)}.");
            await _console.Out.WriteLineAsync("A running server signs with it within a few seconds; tokens signed with older keys stay valid until they expire.");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await _console.Error.WriteLineAsync($"error: could not write the key to {folder}: {ex.Message}");
            await _console.Error.WriteLineAsync("Check that the data folder (--data, key Data:Path) exists and this user may write to it.");
            return ExitCodes.Failure;
        }
    }
}
