using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard consume &lt;queue&gt;</c>: receives messages and prints their bodies on stdout, one per line. With <c>--ack</c>
/// they are removed; without it they are released at the end so the queue is left as it was (delivery counts aside).
/// </summary>
internal sealed class ConsumeCommand : Command
{
    private const int ReceiveBatch = 100;
    private const int SettleBatch = 1000;

    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Argument<string> _queue = new("queue") { Description = "The queue to consume from." };
    private readonly Option<int> _max = new("--max", "-n") { Description = "Stop after this many messages; 0 for until the queue is empty.", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _ack = new("--ack") { Description = "Acknowledge (remove) what was received; without it, messages are released at the end." };
    private readonly Option<int> _wait = new("--wait", "-w") { Description = "Seconds each receive waits for a message when none is ready (0–20).", DefaultValueFactory = _ => 0 };
    private readonly Option<int?> _lease = new("--lease-seconds") { Description = "Lease length (default: the queue's)." };
    private readonly Option<bool> _json = new("--json") { Description = "Print each message as a JSON line (id, body, bodyEncoding, headers, …)." };

    public ConsumeCommand(CliConsole console)
        : base("consume", "Receive messages from a queue and print them; --ack removes them.")
    {
        _console = console;
        Arguments.Add(_queue);
        Options.Add(_max);
        Options.Add(_ack);
        Options.Add(_wait);
        Options.Add(_lease);
        Options.Add(_json);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var queue = parseResult.GetValue(_queue)!;
        var max = parseResult.GetValue(_max);
        var wait = parseResult.GetValue(_wait);
        if (max < 0 || wait is < 0 or > 20)
        {
            await _console.Error.WriteLineAsync("error: --max must be 0 or more and --wait 0–20 seconds.");
            return ExitCodes.InvalidUsage;
        }
        var ack = parseResult.GetValue(_ack);
        var json = parseResult.GetValue(_json);
        var lease = parseResult.GetValue(_lease);

        return await _connection.RunAsync(parseResult, queue, stdinIsBody: false, async client =>
        {
            var clock = Stopwatch.StartNew();
            var received = 0;
            var acked = 0;
            var expired = 0;
            var held = new List<string>();
            await ProgressConsole.ForErrors(_console).Status().StartAsync(Describe(queue, 0, 0, ack, clock.Elapsed), async status =>
            {
                while (max == 0 || received < max)
                {
                    var take = max == 0 ? ReceiveBatch : Math.Min(ReceiveBatch, max - received);
                    var messages = await client.ReceiveAsync(queue, take, wait, lease, cancellationToken);
                    if (messages.Count == 0)
                    {
                        break;
                    }
                    foreach (var message in messages)
                    {
                        await _console.Out.WriteLineAsync(json ? JsonSerializer.Serialize(message, CliJson.Options) : message.Body);
                    }
                    received += messages.Count;
                    var leases = messages.Select(m => m.Lease!).ToArray();
                    if (ack)
                    {
                        var outcome = await client.AckAsync(queue, leases, cancellationToken);
                        acked += outcome.Succeeded;
                        expired += outcome.Failed;
                    }
                    else
                    {
                        held.AddRange(leases);
                    }
                    status.Status = Describe(queue, received, acked, ack, clock.Elapsed);
                }
            });
            // Release what was only looked at, so other consumers get it now rather than after the lease.
            foreach (var chunk in held.Chunk(SettleBatch))
            {
                await client.NackAsync(queue, chunk, reason: "released by switchboard consume", cancellationToken: cancellationToken);
            }
            await ReportAsync(queue, received, acked, expired, ack, wait, clock.Elapsed);
            return expired > 0 ? ExitCodes.Conflict : ExitCodes.Ok;
        }, cancellationToken);
    }

    private async Task ReportAsync(string queue, int received, int acked, int expired, bool ack, int wait, TimeSpan elapsed)
    {
        if (received == 0)
        {
            await _console.Error.WriteLineAsync(wait == 0
                ? $"No messages ready in '{queue}'. Add --wait 20 to wait for new ones, or publish with 'switchboard publish {queue} <body>'."
                : $"No messages arrived in '{queue}' within {wait} s.");
            return;
        }
        var what = ack ? $"acknowledged {acked}" : "released them back to the queue (add --ack to remove them)";
        await _console.Error.WriteLineAsync($"Received {received} message(s) from '{queue}' in {elapsed.TotalSeconds:0.0} s ({ProgressConsole.Rate(received, elapsed)}); {what}.");
        if (expired > 0)
        {
            await _console.Error.WriteLineAsync($"{expired} lease(s) had expired before the ack; those messages will be delivered again. Use a longer --lease-seconds.");
        }
    }

    private static string Describe(string queue, int received, int acked, bool ack, TimeSpan elapsed) =>
        Markup.Escape($"consume ← {queue}: {received} received" + (ack ? $", {acked} acked" : "") + $" ({ProgressConsole.Rate(received, elapsed)})");
}
