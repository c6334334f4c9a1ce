namespace Switchboard.Client;

/// <summary>Broker events on one node: totals since it started, or per-second rates over the last minute.</summary>
/// <param name="Published">Messages committed to a queue.</param>
/// <param name="Delivered">Messages handed out by a receive, first deliveries and redeliveries.</param>
/// <param name="Acked">Messages acknowledged and deleted.</param>
/// <param name="Nacked">Messages released by a nack.</param>
/// <param name="Redelivered">Messages made ready again because their lease expired.</param>
/// <param name="DeadLettered">Messages moved to a dead-letter queue.</param>
public sealed record BrokerActivityCounts(double Published, double Delivered, double Acked, double Nacked, double Redelivered, double DeadLettered);
