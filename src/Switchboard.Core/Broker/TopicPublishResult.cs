namespace Switchboard.Broker;

/// <summary>One message published to a topic and the queues it was copied to (none for a duplicate).</summary>
public sealed record TopicPublishResult(Guid Id, bool Duplicate, IReadOnlyList<TopicDelivery> Deliveries);

/// <summary>The copy of a topic message in one subscription's queue.</summary>
public sealed record TopicDelivery(string Queue, Guid MessageId);
