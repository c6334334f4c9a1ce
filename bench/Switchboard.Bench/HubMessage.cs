namespace Switchboard.Bench;

/// The fields of a streamed delivery the benchmark needs; the rest are skipped.
public sealed class HubMessage
{
    public byte[] Body { get; init; } = [];

    public string Lease { get; init; } = "";
}
