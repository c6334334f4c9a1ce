using System.CommandLine;
using System.Text.Json;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard queue list</c>: the queues the credentials may use, with their counters.</summary>
internal sealed class QueueListCommand : Command
{
    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON instead of a table." };

    public QueueListCommand(CliConsole console)
        : base("list", "List queues with their depth, ready, in-flight, delayed and dead-letter counts.")
    {
        _console = console;
        Options.Add(_json);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        _connection.RunAsync(parseResult, null, stdinIsBody: false, async client =>
        {
            var queues = await client.ListQueuesAsync(cancellationToken);
            if (parseResult.GetValue(_json))
            {
                await _console.Out.WriteLineAsync(JsonSerializer.Serialize(queues, CliJson.Options));
                return ExitCodes.Ok;
            }
            if (queues.Count == 0)
            {
                await _console.Error.WriteLineAsync("No queues yet; create one with 'switchboard queue create <name>'.");
                return ExitCodes.Ok;
            }
            await CliTable.WriteAsync(_console.Out, ["NAME", "DEPTH", "READY", "IN-FLIGHT", "DELAYED", "DEAD"], queues.Select(q => new[]
            {
                q.Name, Count(q.Stats?.Depth), Count(q.Stats?.Ready), Count(q.Stats?.InFlight), Count(q.Stats?.Delayed), Count(q.Stats?.DeadLetterDepth),
            }), rightAlignFrom: 1);
            return ExitCodes.Ok;
        }, cancellationToken);

    private static string Count(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
