namespace Switchboard.Bench;

public sealed class HubPublished
{
    public Guid Id { get; init; }

    public bool Duplicate { get; init; }
}
