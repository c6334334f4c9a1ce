namespace Switchboard.Broker;

/// <summary>
/// A broker message another feature's write commits together with its own rows (the transactional outbox):
/// the chat message and its delivery jobs, the room and its <c>room.created</c> event, land in one commit or not at all.
/// Each engine's stores hand these to the same engine's broker store inside the open transaction.
/// </summary>
/// <param name="Target">A queue name, or a topic name when <paramref name="Subject"/> is set.</param>
/// <param name="Subject">The subject for a topic publish; null publishes to the queue <paramref name="Target"/>.</param>
public sealed record OutboxEntry(string Target, string? Subject, OutgoingMessage Message)
{
    public bool IsTopic => Subject is not null;

    public static OutboxEntry ToQueue(string queue, OutgoingMessage message) => new(queue, null, message);

    public static OutboxEntry ToTopic(string topic, string subject, OutgoingMessage message) => new(topic, subject, message);
}
