namespace Switchboard.Client;

/// <summary>A message published to a topic and the queues it was copied to.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Duplicate">True when its idempotency key was seen within the window (then nothing was delivered).</param>
/// <param name="Deliveries">The copy in each matching subscription's queue.</param>
public sealed record TopicPublishResult(Guid Id, bool Duplicate, IReadOnlyList<TopicDelivery> Deliveries);
