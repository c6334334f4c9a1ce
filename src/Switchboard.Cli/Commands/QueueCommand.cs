using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard queue</c>: groups the queue management commands.</summary>
internal sealed class QueueCommand : Command
{
    public QueueCommand(CliConsole console)
        : base("queue", "Create, list, inspect, purge and delete queues.")
    {
        Subcommands.Add(new QueueCreateCommand(console));
        Subcommands.Add(new QueueListCommand(console));
        Subcommands.Add(new QueueStatsCommand(console));
        Subcommands.Add(new QueuePurgeCommand(console));
        Subcommands.Add(new QueueDeleteCommand(console));
    }
}
