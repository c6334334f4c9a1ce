using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard queue delete &lt;name&gt;</c>: deletes a queue; one that holds messages only with <c>--force</c>.</summary>
internal sealed class QueueDeleteCommand : Command
{
    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Argument<string> _name = new("name") { Description = "The queue to delete." };
    private readonly Option<bool> _force = new("--force") { Description = "Delete it even when it still holds messages." };

    public QueueDeleteCommand(CliConsole console)
        : base("delete", "Delete a queue.")
    {
        _console = console;
        Arguments.Add(_name);
        Options.Add(_force);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        return _connection.RunAsync(parseResult, name, stdinIsBody: false, async client =>
        {
            await client.DeleteQueueAsync(name, parseResult.GetValue(_force), cancellationToken);
            await _console.Error.WriteLineAsync($"Deleted queue '{name}'.");
            return ExitCodes.Ok;
        }, cancellationToken);
    }
}
