using System.Globalization;

namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    internal sealed record QueueBody(
        string? Name, int? LeaseSeconds, int? MaxDeliveries, string? DeadLetterQueue, int? RetentionSeconds, int? MaxLength, int? DedupWindowSeconds, string? Ordering)
    {
        public static QueueBody From(string? name, QueueOptions? options) => new(
            name, options?.LeaseSeconds, options?.MaxDeliveries, options?.DeadLetterQueue, options?.RetentionSeconds,
            options?.MaxLength, options?.DedupWindowSeconds, options?.Ordering);
    }

    internal sealed record QueueList(IReadOnlyList<Queue> Queues);

    internal sealed record PurgeAnswer(long Purged);

    internal sealed record RedriveBody(IReadOnlyCollection<Guid>? Ids, string? Target, int? RatePerSecond);

    internal sealed record RedriveAnswer(int Moved);

    /// <summary>Creates a queue and, unless <see cref="QueueOptions.DeadLetterQueue"/> says otherwise, its dead-letter queue <c>&lt;name&gt;.dlq</c> (<c>POST /v1/queues</c>).</summary>
    /// <param name="name">The queue's name: letters, digits, <c>.</c>, <c>-</c>, <c>_</c>; not under <c>$sys.</c>.</param>
    /// <param name="options">Settings; null for the server's defaults.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created queue.</returns>
    /// <exception cref="SwitchboardApiException"><c>queue_exists</c>, <c>invalid_name</c>, <c>validation_failed</c>, <c>insufficient_scope</c>.</exception>
    public Task<Queue> CreateQueueAsync(string name, QueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SendAsync<Queue>(HttpMethod.Post, "v1/queues", QueueBody.From(name, options), Auth.Required, cancellationToken);
    }

    /// <summary>Lists the queues the caller may use, each with its stats (<c>GET /v1/queues</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The queues, by name.</returns>
    public async Task<IReadOnlyList<Queue>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<QueueList>(HttpMethod.Get, "v1/queues", null, Auth.Required, cancellationToken).ConfigureAwait(false)).Queues;

    /// <summary>Reads one queue with its stats (<c>GET /v1/queues/{name}</c>).</summary>
    /// <param name="name">The queue's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="SwitchboardApiException"><c>queue_not_found</c> when it does not exist.</exception>
    public Task<Queue> GetQueueAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<Queue>(HttpMethod.Get, QueuePath(name), null, Auth.Required, cancellationToken);

    /// <summary>Changes a queue's settings; null members keep their value (<c>PATCH /v1/queues/{name}</c>).</summary>
    /// <param name="name">The queue's name.</param>
    /// <param name="options">What to change.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The queue with its new settings.</returns>
    public Task<Queue> UpdateQueueAsync(string name, QueueOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SendAsync<Queue>(HttpMethod.Patch, QueuePath(name), QueueBody.From(null, options), Auth.Required, cancellationToken);
    }

    /// <summary>Deletes a queue (<c>DELETE /v1/queues/{name}</c>).</summary>
    /// <param name="name">The queue's name.</param>
    /// <param name="force">Delete it even when it still holds messages; otherwise that is <c>queue_not_empty</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task DeleteQueueAsync(string name, bool force = false, CancellationToken cancellationToken = default) =>
        SendWithoutResultAsync(HttpMethod.Delete, QueuePath(name) + (force ? "?force=true" : ""), null, Auth.Required, cancellationToken);

    /// <summary>Removes every message from a queue (<c>POST /v1/queues/{name}/purge</c>).</summary>
    /// <param name="name">The queue's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>How many messages were removed.</returns>
    public async Task<long> PurgeQueueAsync(string name, CancellationToken cancellationToken = default) =>
        (await SendAsync<PurgeAnswer>(HttpMethod.Post, QueuePath(name) + "/purge", null, Auth.Required, cancellationToken).ConfigureAwait(false)).Purged;

    /// <summary>Reads a queue's counters (<c>GET /v1/queues/{name}/stats</c>).</summary>
    /// <param name="name">The queue's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The counters.</returns>
    public Task<QueueStats> GetQueueStatsAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<QueueStats>(HttpMethod.Get, QueuePath(name) + "/stats", null, Auth.Required, cancellationToken);

    /// <summary>Reads the totals over every queue the caller may see (<c>GET /v1/stats</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The totals and each queue's counters.</returns>
    public Task<BrokerStats> GetBrokerStatsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<BrokerStats>(HttpMethod.Get, "v1/stats", null, Auth.Required, cancellationToken);

    /// <summary>Looks at up to <paramref name="limit"/> messages without leasing them (<c>GET /v1/queues/{name}/messages?peek=true</c>); needs <c>broker:manage</c>.</summary>
    /// <param name="name">The queue's name, e.g. a dead-letter queue <c>orders.dlq</c>.</param>
    /// <param name="limit">1–1000; null for the server's default (20).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The messages in delivery order, each with its <see cref="ReceivedMessage.State"/>.</returns>
    public async Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string name, int? limit = null, CancellationToken cancellationToken = default) =>
        (await SendAsync<MessageList>(HttpMethod.Get,
            QueuePath(name) + "/messages" + Query(("peek", "true"), ("limit", limit?.ToString(CultureInfo.InvariantCulture))),
            null, Auth.Required, cancellationToken).ConfigureAwait(false)).Messages;

    /// <summary>Deletes one message by id, leased or not (<c>DELETE /v1/queues/{name}/messages/{id}</c>).</summary>
    /// <param name="name">The queue's name.</param>
    /// <param name="id">The message id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task DeleteMessageAsync(string name, Guid id, CancellationToken cancellationToken = default) =>
        SendWithoutResultAsync(HttpMethod.Delete, QueuePath(name) + "/messages/" + Segment(id), null, Auth.Required, cancellationToken);

    /// <summary>Moves dead letters back to the queue they came from, or to <paramref name="target"/> (<c>POST /v1/queues/{name}/redrive</c>).</summary>
    /// <param name="name">The dead-letter queue, e.g. <c>orders.dlq</c>.</param>
    /// <param name="ids">Only these messages; null for all.</param>
    /// <param name="target">Where to move them; null for each message's source queue.</param>
    /// <param name="ratePerSecond">Move at most this many per second so a recovering consumer is not flooded; null for all at once.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>How many messages moved.</returns>
    public async Task<int> RedriveAsync(string name, IReadOnlyCollection<Guid>? ids = null, string? target = null, int? ratePerSecond = null,
        CancellationToken cancellationToken = default) =>
        (await SendAsync<RedriveAnswer>(HttpMethod.Post, QueuePath(name) + "/redrive", new RedriveBody(ids, target, ratePerSecond), Auth.Required, cancellationToken)
            .ConfigureAwait(false)).Moved;

    private static string QueuePath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "v1/queues/" + Uri.EscapeDataString(name);
    }
}
