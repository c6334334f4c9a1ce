namespace Switchboard.Bench;

public sealed class HubSettled
{
    public string Lease { get; init; } = "";

    public bool Ok { get; init; }

    public string? Code { get; init; }
}
