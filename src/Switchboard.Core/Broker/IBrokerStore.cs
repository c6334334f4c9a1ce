namespace Switchboard.Broker;

/// <summary>
/// Durable queues and topics, one implementation per engine. Names and input are validated by
/// <see cref="BrokerService"/> before they reach a store; a store enforces the semantics (leases, fencing,
/// dead letters, ordering, dedup, limits) and throws <see cref="Errors.SwitchboardException"/> with broker codes.
/// Nothing here assumes where a lease lives: the embedded engine keeps it in memory, a shared engine in the row.
/// Every publish returns only after the messages are durably committed.
/// </summary>
public interface IBrokerStore
{
    Task<QueueInfo> CreateQueueAsync(string name, QueueSettings settings, CancellationToken cancellationToken = default);

    Task<QueueInfo?> GetQueueAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default);

    Task<QueueInfo> UpdateQueueAsync(string name, QueueSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Deletes a queue and the subscriptions that feed it; refuses a non-empty queue unless <paramref name="force"/>.</summary>
    Task DeleteQueueAsync(string name, bool force, CancellationToken cancellationToken = default);

    /// <summary>Deletes every message of the queue, in flight or not; returns how many.</summary>
    Task<long> PurgeAsync(string name, CancellationToken cancellationToken = default);

    Task<QueueStats> GetStatsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Publishes all messages in one commit (all or nothing), in order.</summary>
    Task<IReadOnlyList<PublishResult>> PublishAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Leases up to <paramref name="max"/> messages (for <paramref name="lease"/>, or the queue's lease time), waiting up to <paramref name="wait"/> for the first one.</summary>
    Task<IReadOnlyList<BrokerMessage>> ReceiveAsync(string queue, int max, TimeSpan? lease, TimeSpan wait, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SettleResult>> AckAsync(string queue, IReadOnlyList<LeaseToken> leases, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SettleResult>> NackAsync(string queue, IReadOnlyList<LeaseToken> leases, NackOptions options, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SettleResult>> ExtendAsync(string queue, IReadOnlyList<LeaseToken> leases, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>The first <paramref name="limit"/> messages in enqueue order, whatever their state; leases nothing.</summary>
    Task<IReadOnlyList<BrokerMessage>> PeekAsync(string queue, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves messages that are not in flight (all, or those in <paramref name="ids"/>) to <paramref name="target"/>,
    /// or to the source queue recorded on each; they start again with delivery count 0. Returns how many moved.
    /// </summary>
    Task<int> RedriveAsync(string queue, IReadOnlyCollection<Guid>? ids, string? target, CancellationToken cancellationToken = default);

    Task<bool> DeleteMessageAsync(string queue, Guid id, CancellationToken cancellationToken = default);

    Task<TopicInfo> CreateTopicAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TopicInfo>> ListTopicsAsync(CancellationToken cancellationToken = default);

    Task<TopicInfo?> GetTopicAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes the topic and its subscriptions; the queues stay.</summary>
    Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default);

    Task<Subscription> SubscribeAsync(string topic, string queue, string pattern, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string topic, CancellationToken cancellationToken = default);

    Task DeleteSubscriptionAsync(string topic, Guid id, CancellationToken cancellationToken = default);

    /// <summary>Copies each message to the queue of every matching subscription, all in one commit.</summary>
    Task<IReadOnlyList<TopicPublishResult>> PublishToTopicAsync(string topic, string subject, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default);
}
