namespace Switchboard.Client;

/// <summary>The answer for one lease of an ack, nack or extend.</summary>
/// <param name="Lease">The lease token.</param>
/// <param name="Ok">Whether this lease was settled (or extended).</param>
/// <param name="Code">Why not, e.g. <c>lease_expired</c>; null when it succeeded.</param>
/// <param name="Detail">What happened and what to do, when it failed.</param>
/// <param name="LeaseExpiresAt">For a successful extend, when the lease now ends.</param>
public sealed record SettleResult(string Lease, bool Ok, string? Code, string? Detail, DateTimeOffset? LeaseExpiresAt);
