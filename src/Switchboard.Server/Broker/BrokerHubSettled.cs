using Switchboard.Broker;

namespace Switchboard.Server.Broker;

/// <summary>The answer for one lease of an <c>Ack</c> or <c>Nack</c>; <see cref="Code"/> is set when it failed (e.g. <c>lease_expired</c>).</summary>
public sealed class BrokerHubSettled
{
    public string Lease { get; init; } = "";

    public bool Ok { get; init; }

    public string? Code { get; init; }

    internal static BrokerHubSettled From(SettleResult result) => new() { Lease = result.Lease, Ok = result.Succeeded, Code = result.Error?.Code };
}
