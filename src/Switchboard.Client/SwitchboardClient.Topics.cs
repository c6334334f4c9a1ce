namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    internal sealed record TopicBody(string Name);

    internal sealed record TopicList(IReadOnlyList<Topic> Topics);

    internal sealed record SubscriptionBody(string Queue, string Pattern, IReadOnlyDictionary<string, string>? Headers);

    internal sealed record SubscriptionList(IReadOnlyList<TopicSubscription> Subscriptions);

    internal sealed record TopicPublishedBatch(IReadOnlyList<TopicPublishResult> Messages);

    /// <summary>Creates a topic (<c>POST /v1/topics</c>).</summary>
    /// <param name="name">The topic's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created topic.</returns>
    /// <exception cref="SwitchboardApiException"><c>topic_exists</c>, <c>invalid_name</c>, <c>insufficient_scope</c>.</exception>
    public Task<Topic> CreateTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SendAsync<Topic>(HttpMethod.Post, "v1/topics", new TopicBody(name), Auth.Required, cancellationToken);
    }

    /// <summary>Lists the topics the caller may use (<c>GET /v1/topics</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The topics.</returns>
    public async Task<IReadOnlyList<Topic>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<TopicList>(HttpMethod.Get, "v1/topics", null, Auth.Required, cancellationToken).ConfigureAwait(false)).Topics;

    /// <summary>Deletes a topic and its subscriptions; the subscribed queues stay (<c>DELETE /v1/topics/{name}</c>).</summary>
    /// <param name="name">The topic's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default) =>
        SendWithoutResultAsync(HttpMethod.Delete, TopicPath(name), null, Auth.Required, cancellationToken);

    /// <summary>Subscribes a queue to a topic (<c>POST /v1/topics/{name}/subscriptions</c>).</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="queue">The existing queue that receives the copies.</param>
    /// <param name="pattern">A subject pattern: <c>*</c> matches one token, a trailing <c>&gt;</c> the rest (e.g. <c>orders.&gt;</c>).</param>
    /// <param name="headers">Headers a message must carry with these values; null for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The subscription.</returns>
    public Task<TopicSubscription> SubscribeAsync(string topic, string queue, string pattern, IReadOnlyDictionary<string, string>? headers = null,
        CancellationToken cancellationToken = default) =>
        SendAsync<TopicSubscription>(HttpMethod.Post, TopicPath(topic) + "/subscriptions", new SubscriptionBody(queue, pattern, headers), Auth.Required, cancellationToken);

    /// <summary>Lists a topic's subscriptions (<c>GET /v1/topics/{name}/subscriptions</c>).</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The subscriptions.</returns>
    public async Task<IReadOnlyList<TopicSubscription>> ListSubscriptionsAsync(string topic, CancellationToken cancellationToken = default) =>
        (await SendAsync<SubscriptionList>(HttpMethod.Get, TopicPath(topic) + "/subscriptions", null, Auth.Required, cancellationToken).ConfigureAwait(false)).Subscriptions;

    /// <summary>Removes a subscription (<c>DELETE /v1/topics/{name}/subscriptions/{id}</c>).</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="id">The subscription's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task DeleteSubscriptionAsync(string topic, Guid id, CancellationToken cancellationToken = default) =>
        SendWithoutResultAsync(HttpMethod.Delete, TopicPath(topic) + "/subscriptions/" + Segment(id), null, Auth.Required, cancellationToken);

    /// <summary>Publishes a message to a topic: it is copied, in one commit, to every subscription whose pattern matches <paramref name="subject"/> (<c>POST /v1/topics/{name}/messages</c>).</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subject">The subject, dot-separated tokens without wildcards, e.g. <c>orders.eu.created</c>.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The message and the queues it reached.</returns>
    public Task<TopicPublishResult> PublishToTopicAsync(string topic, string subject, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync<TopicPublishResult>(HttpMethod.Post, TopicPath(topic) + "/messages", MessageBody.From(message, subject), Auth.Required, cancellationToken);
    }

    /// <summary>Publishes a batch to a topic under one subject, in one commit.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subject">The subject of every message.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One result per message, in order.</returns>
    public async Task<IReadOnlyList<TopicPublishResult>> PublishBatchToTopicAsync(string topic, string subject, IEnumerable<OutgoingMessage> messages,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return (await SendAsync<TopicPublishedBatch>(HttpMethod.Post, TopicPath(topic) + "/messages", MessageBody.Batch(messages, subject), Auth.Required,
            cancellationToken).ConfigureAwait(false)).Messages;
    }

    private static string TopicPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "v1/topics/" + Uri.EscapeDataString(name);
    }
}
