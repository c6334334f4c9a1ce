using System.CommandLine;
using Switchboard.Client;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard queue create &lt;name&gt;</c>: creates a queue (and its dead-letter queue).</summary>
internal sealed class QueueCreateCommand : Command
{
    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Argument<string> _name = new("name") { Description = "The queue's name, e.g. orders." };
    private readonly Option<int?> _lease = new("--lease-seconds") { Description = "How long a received message stays leased (default 30)." };
    private readonly Option<int?> _maxDeliveries = new("--max-deliveries") { Description = "Deliveries before a message is dead-lettered (default 5; 0 never)." };
    private readonly Option<string?> _deadLetter = new("--dead-letter-queue") { Description = "Where failed messages go (default <name>.dlq; \"\" for none)." };
    private readonly Option<int?> _maxLength = new("--max-length") { Description = "Most messages the queue holds (default no limit)." };
    private readonly Option<string?> _ordering = new("--ordering") { Description = "none (default), fifo or fifo-by-group." };

    public QueueCreateCommand(CliConsole console)
        : base("create", "Create a queue and its dead-letter queue.")
    {
        _console = console;
        Arguments.Add(_name);
        Options.Add(_lease);
        Options.Add(_maxDeliveries);
        Options.Add(_deadLetter);
        Options.Add(_maxLength);
        Options.Add(_ordering);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        var options = new QueueOptions
        {
            LeaseSeconds = parseResult.GetValue(_lease),
            MaxDeliveries = parseResult.GetValue(_maxDeliveries),
            DeadLetterQueue = parseResult.GetValue(_deadLetter),
            MaxLength = parseResult.GetValue(_maxLength),
            Ordering = parseResult.GetValue(_ordering),
        };
        return _connection.RunAsync(parseResult, name, stdinIsBody: false, async client =>
        {
            var queue = await client.CreateQueueAsync(name, options, cancellationToken);
            await _console.Out.WriteLineAsync(queue.Name);
            await _console.Error.WriteLineAsync(
                $"Created queue '{queue.Name}' (lease {queue.LeaseSeconds} s, max deliveries {queue.MaxDeliveries}, dead letters to {queue.DeadLetterQueue ?? "nowhere"}).");
            return ExitCodes.Ok;
        }, cancellationToken);
    }
}
