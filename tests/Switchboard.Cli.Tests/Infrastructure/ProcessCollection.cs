namespace Switchboard.Cli.Tests.Infrastructure;

/// <summary>Tests that start the real binary run one at a time: each is a whole server on a shared, small machine.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessCollection
{
    public const string Name = "switchboard processes";
}
