using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard config</c>: groups the configuration commands.</summary>
internal sealed class ConfigCommand : Command
{
    public ConfigCommand(CliConsole console)
        : base("config", "Inspect the configuration.")
    {
        Subcommands.Add(new ConfigCheckCommand(console));
    }
}
