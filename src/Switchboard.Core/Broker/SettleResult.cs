using Switchboard.Errors;

namespace Switchboard.Broker;

/// <summary>The answer for one lease of an ack, nack or extend.</summary>
/// <param name="Error">Null when it succeeded, e.g. <see cref="ErrorCodes.LeaseExpired"/>.</param>
/// <param name="LeaseExpiresAt">For a successful extend, when the lease now ends.</param>
public sealed record SettleResult(string Lease, ErrorCode? Error, string? Detail = null, DateTimeOffset? LeaseExpiresAt = null)
{
    public bool Succeeded => Error is null;

    public static SettleResult Ok(LeaseToken lease, DateTimeOffset? leaseExpiresAt = null) => new(lease.ToString(), null, null, leaseExpiresAt);

    // The stores cannot tell these cases apart once the lease is gone, so the detail promises none of their outcomes.
    public static SettleResult Expired(LeaseToken lease) =>
        new(lease.ToString(), ErrorCodes.LeaseExpired,
            "The lease is no longer valid: it expired (its message went back to the queue, or to the dead-letter queue after its last delivery), " +
            "it belongs to an earlier delivery, or the message was already acked, dead-lettered or removed.");
}
