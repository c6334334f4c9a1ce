using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard keys</c>: groups the signing-key commands.</summary>
internal sealed class KeysCommand : Command
{
    public KeysCommand(CliConsole console)
        : base("keys", "Manage the keys that sign access tokens.")
    {
        Subcommands.Add(new KeysRotateCommand(console));
    }
}
