using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard queue stats [name]</c>: one queue's counters, or the totals over all queues.</summary>
internal sealed class QueueStatsCommand : Command
{
    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Argument<string?> _name = new("name") { Description = "The queue; omit for the totals over every queue.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON." };

    public QueueStatsCommand(CliConsole console)
        : base("stats", "Show a queue's counters, or the totals over all queues.")
    {
        _console = console;
        Arguments.Add(_name);
        Options.Add(_json);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name);
        var json = parseResult.GetValue(_json);
        return _connection.RunAsync(parseResult, name, stdinIsBody: false, async client =>
        {
            if (name is null)
            {
                var totals = await client.GetBrokerStatsAsync(cancellationToken);
                await (json
                    ? _console.Out.WriteLineAsync(JsonSerializer.Serialize(totals, CliJson.Options))
                    : WriteAsync(("queues", totals.Queues), ("depth", totals.Depth), ("ready", totals.Ready), ("inFlight", totals.InFlight), ("delayed", totals.Delayed)));
                return ExitCodes.Ok;
            }
            var stats = await client.GetQueueStatsAsync(name, cancellationToken);
            await (json
                ? _console.Out.WriteLineAsync(JsonSerializer.Serialize(stats, CliJson.Options))
                : WriteAsync(("queue", stats.Name), ("depth", stats.Depth), ("ready", stats.Ready), ("inFlight", stats.InFlight), ("delayed", stats.Delayed),
                    ("deadLetters", stats.DeadLetterDepth),
                    ("oldestAgeSeconds", stats.OldestAgeSeconds is { } age ? Math.Round(age, 1) : "-")));
            return ExitCodes.Ok;
        }, cancellationToken);
    }

    private async Task WriteAsync(params (string Key, object Value)[] lines)
    {
        var width = lines.Max(l => l.Key.Length) + 1;
        foreach (var (key, value) in lines)
        {
            await _console.Out.WriteLineAsync((key + ":").PadRight(width + 1) + Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
