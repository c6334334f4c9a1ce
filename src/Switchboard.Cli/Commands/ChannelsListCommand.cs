using System.CommandLine;
using System.Text.Json;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard channels list</c>: the configured instances, their state and circuit.</summary>
internal sealed class ChannelsListCommand : Command
{
    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON instead of a table." };

    public ChannelsListCommand(CliConsole console)
        : base("list", "List channel instances with their type, whether they are enabled and their circuit state.")
    {
        _console = console;
        Options.Add(_json);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        _connection.RunAsync(parseResult, null, stdinIsBody: false, async client =>
        {
            var channels = await client.ListChannelsAsync(cancellationToken);
            if (parseResult.GetValue(_json))
            {
                await _console.Out.WriteLineAsync(JsonSerializer.Serialize(channels, CliJson.Options));
                return ExitCodes.Ok;
            }
            if (channels.Count == 0)
            {
                await _console.Error.WriteLineAsync("No channel instances are configured; add them under Channels:Instances.");
                return ExitCodes.Ok;
            }
            await CliTable.WriteAsync(_console.Out, ["NAME", "TYPE", "ENABLED", "CIRCUIT", "ROUTES"],
                channels.Select(c => new[] { c.Name, c.Type ?? "-", c.Enabled ? "yes" : "no", c.Circuit, string.Join(",", c.Routes) }));
            return ExitCodes.Ok;
        }, cancellationToken);
}
