using System.CommandLine;
using System.Text.Json;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard channels test &lt;name&gt;</c>: sends a test message now and reports the outcome; exits 1 when it failed.</summary>
internal sealed class ChannelsTestCommand : Command
{
    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Argument<string> _name = new("name") { Description = "The channel instance." };
    private readonly Option<string?> _to = new("--to") { Description = "The recipient's address (default: the instance's DefaultRecipient)." };
    private readonly Option<string?> _text = new("--text") { Description = "The message text." };
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON." };

    public ChannelsTestCommand(CliConsole console)
        : base("test", "Send a test message through a channel instance and report the outcome.")
    {
        _console = console;
        Arguments.Add(_name);
        Options.Add(_to);
        Options.Add(_text);
        Options.Add(_json);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        _connection.RunAsync(parseResult, null, stdinIsBody: false, async client =>
        {
            var result = await client.TestChannelAsync(parseResult.GetValue(_name)!, parseResult.GetValue(_to), parseResult.GetValue(_text), cancellationToken);
            if (parseResult.GetValue(_json))
            {
                await _console.Out.WriteLineAsync(JsonSerializer.Serialize(result, CliJson.Options));
            }
            else if (result.Ok)
            {
                await _console.Out.WriteLineAsync($"Sent through {result.Channel}{(result.ProviderId is null ? "" : $" (provider id {result.ProviderId})")} " +
                    $"after {result.Attempts.Count} attempt(s).");
            }
            else
            {
                await _console.Error.WriteLineAsync($"Not sent through {result.Channel}: {result.ErrorCode}: {result.ErrorMessage}");
            }
            return result.Ok ? ExitCodes.Ok : ExitCodes.Failure;
        }, cancellationToken);
}
