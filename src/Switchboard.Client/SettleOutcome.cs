namespace Switchboard.Client;

/// <summary>The per-lease answers of an ack, nack or extend.</summary>
/// <param name="Succeeded">How many leases succeeded.</param>
/// <param name="Failed">How many failed (typically <c>lease_expired</c>: the lease ran out, so the message is delivered again, or the message was already settled).</param>
/// <param name="Results">One answer per lease, in the order sent.</param>
public sealed record SettleOutcome(int Succeeded, int Failed, IReadOnlyList<SettleResult> Results);
