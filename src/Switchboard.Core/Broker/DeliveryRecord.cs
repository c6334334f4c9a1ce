namespace Switchboard.Broker;

/// <summary>One failed delivery of a message, kept with it and carried into the dead-letter queue.</summary>
/// <param name="Outcome"><c>nack</c>, <c>lease_expired</c> or <c>rejected</c>.</param>
public sealed record DeliveryRecord(int Delivery, DateTimeOffset DeliveredAt, DateTimeOffset SettledAt, string Outcome, string? Reason);
