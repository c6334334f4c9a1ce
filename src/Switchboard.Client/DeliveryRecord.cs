namespace Switchboard.Client;

/// <summary>One failed delivery of a message, kept with it and carried into the dead-letter queue.</summary>
/// <param name="Delivery">Which delivery it was (1 for the first).</param>
/// <param name="DeliveredAt">When it was delivered (UTC).</param>
/// <param name="SettledAt">When it failed (UTC).</param>
/// <param name="Outcome"><c>nack</c>, <c>lease_expired</c> or <c>rejected</c>.</param>
/// <param name="Reason">The reason a consumer gave with its nack, when any.</param>
public sealed record DeliveryRecord(int Delivery, DateTimeOffset DeliveredAt, DateTimeOffset SettledAt, string Outcome, string? Reason);
