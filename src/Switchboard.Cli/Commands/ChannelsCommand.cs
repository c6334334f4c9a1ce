using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard channels</c>: groups the channel commands.</summary>
internal sealed class ChannelsCommand : Command
{
    public ChannelsCommand(CliConsole console)
        : base("channels", "List channel instances and send test messages through them.")
    {
        Subcommands.Add(new ChannelsListCommand(console));
        Subcommands.Add(new ChannelsTestCommand(console));
    }
}
