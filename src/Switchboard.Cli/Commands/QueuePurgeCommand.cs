using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard queue purge &lt;name&gt;</c>: removes every message from a queue.</summary>
internal sealed class QueuePurgeCommand : Command
{
    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Argument<string> _name = new("name") { Description = "The queue to empty." };

    public QueuePurgeCommand(CliConsole console)
        : base("purge", "Remove every message from a queue (not from its dead-letter queue).")
    {
        _console = console;
        Arguments.Add(_name);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        return _connection.RunAsync(parseResult, name, stdinIsBody: false, async client =>
        {
            var purged = await client.PurgeQueueAsync(name, cancellationToken);
            await _console.Out.WriteLineAsync(purged.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await _console.Error.WriteLineAsync($"Purged {purged} message(s) from '{name}'.");
            return ExitCodes.Ok;
        }, cancellationToken);
    }
}
