using System.CommandLine;
using System.CommandLine.Parsing;
using Switchboard.Cli.Commands;

namespace Switchboard.Cli;

/// <summary>The <c>switchboard</c> command: builds the command tree and maps every outcome to an exit code.</summary>
internal static class SwitchboardCli
{
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("Switchboard: a self-hosted messaging hub. Run 'switchboard serve' to start it.")
        {
            new ServeCommand(console),
            new GatewayCommand(console),
            new ConfigCommand(console),
            new TokenCommand(console),
            new KeysCommand(console),
            new QueueCommand(console),
            new ChannelsCommand(console),
            new PublishCommand(console),
            new ConsumeCommand(console),
        };
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var parseResult = CreateRootCommand(console).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }
            await console.Error.WriteLineAsync($"Run '{CommandPath(parseResult)} --help' to see the commands and options.");
            return ExitCodes.InvalidUsage;
        }
        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                // The server's own lifetime handles Ctrl+C and SIGTERM and drains requests for as long as it
                // needs; other commands simply end on Ctrl+C.
                ProcessTerminationTimeout = null,
            }, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("Canceled.");
            return ExitCodes.Canceled;
        }
        catch (Exception ex)
        {
            await console.Error.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {ex.Message}");
            await console.Error.WriteLineAsync("This is a bug in switchboard; please report it with the command you ran and this output:");
            await console.Error.WriteLineAsync(ex.ToString());
            return ExitCodes.Failure;
        }
    }

    /// <summary>The command as typed, e.g. <c>switchboard config check</c>, for "run … --help" hints.</summary>
    public static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (SymbolResult? result = parseResult.CommandResult; result is CommandResult command; result = command.Parent)
        {
            if (command.Command is not RootCommand)
            {
                names.Insert(0, command.Command.Name);
            }
        }
        names.Insert(0, "switchboard");
        return string.Join(' ', names);
    }
}
