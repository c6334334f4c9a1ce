namespace Switchboard.Client;

/// <summary>The copy of a topic message in one subscription's queue.</summary>
/// <param name="Queue">The subscription's queue.</param>
/// <param name="MessageId">The id of the copy in that queue.</param>
public sealed record TopicDelivery(string Queue, Guid MessageId);
