namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    /// <summary>One message on the wire; at the top level of a single publish, or an item of <c>messages</c>.</summary>
    internal sealed record MessageBody(
        string? Subject,
        string? Body,
        string? BodyEncoding,
        IReadOnlyDictionary<string, string>? Headers,
        int? DelaySeconds,
        int? TtlSeconds,
        int? Priority,
        string? GroupKey,
        string? IdempotencyKey,
        IReadOnlyList<MessageBody>? Messages)
    {
        public static MessageBody From(OutgoingMessage m, string? subject = null) => new(
            subject, m.Body, m.BodyEncoding == "utf8" ? null : m.BodyEncoding, m.Headers, m.DelaySeconds, m.TtlSeconds, m.Priority, m.GroupKey, m.IdempotencyKey, null);

        public static MessageBody Batch(IEnumerable<OutgoingMessage> messages, string? subject = null) =>
            new(subject, null, null, null, null, null, null, null, null, messages.Select(m => From(m)).ToArray());
    }

    internal sealed record PublishedBatch(IReadOnlyList<PublishResult> Messages);

    internal sealed record MessageList(IReadOnlyList<ReceivedMessage> Messages);

    internal sealed record ReceiveBody(int? Max, int? WaitSeconds, int? LeaseSeconds);

    internal sealed record SettleBody(IReadOnlyList<string> Leases, int? DelaySeconds, string? Reason, bool? DeadLetter, int? LeaseSeconds);

    /// <summary>Publishes one message; it is acknowledged only after it is durably stored (<c>POST /v1/queues/{name}/messages</c>).</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="SwitchboardApiException"><c>queue_not_found</c>, <c>message_too_large</c>, <c>queue_full</c>, <c>insufficient_scope</c>, …</exception>
    public Task<PublishResult> PublishAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync<PublishResult>(HttpMethod.Post, QueuePath(queue) + "/messages", MessageBody.From(message), Auth.Required, cancellationToken);
    }

    /// <summary>Publishes a UTF-8 text message.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="body">The text.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The message id.</returns>
    public Task<PublishResult> PublishAsync(string queue, string body, CancellationToken cancellationToken = default) =>
        PublishAsync(queue, OutgoingMessage.FromString(body), cancellationToken);

    /// <summary>Publishes a binary message (sent base64-encoded; stored and delivered as the exact bytes).</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="body">The bytes.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The message id.</returns>
    public Task<PublishResult> PublishAsync(string queue, byte[] body, CancellationToken cancellationToken = default) =>
        PublishAsync(queue, OutgoingMessage.FromBytes(body), cancellationToken);

    /// <summary>Publishes a batch in one request and one commit: all are stored or none (<c>POST /v1/queues/{name}/messages</c> with <c>messages</c>).</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messages">1 to the server's <c>Broker:MaxBatchMessages</c> (default 1000) messages.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One result per message, in order.</returns>
    /// <exception cref="SwitchboardApiException"><c>batch_too_large</c>, <c>message_too_large</c>, <c>validation_failed</c>, …</exception>
    public async Task<IReadOnlyList<PublishResult>> PublishBatchAsync(string queue, IEnumerable<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = MessageBody.Batch(messages);
        return (await SendAsync<PublishedBatch>(HttpMethod.Post, QueuePath(queue) + "/messages", body, Auth.Required, cancellationToken).ConfigureAwait(false)).Messages;
    }

    /// <summary>Leases up to <paramref name="max"/> messages (<c>POST /v1/queues/{name}/receive</c>). Settle each with <see cref="AckAsync"/> or <see cref="NackAsync"/> before its lease ends, or it is delivered again.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="max">Most messages to take (1–1000); null for one.</param>
    /// <param name="waitSeconds">When none is ready, wait up to this long for one (long poll, 0–20); null for no wait.</param>
    /// <param name="leaseSeconds">The lease length; null for the queue's <see cref="Queue.LeaseSeconds"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The leased messages; empty when none arrived in time.</returns>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int? max = null, int? waitSeconds = null, int? leaseSeconds = null,
        CancellationToken cancellationToken = default) =>
        (await SendAsync<MessageList>(HttpMethod.Post, QueuePath(queue) + "/receive", new ReceiveBody(max, waitSeconds, leaseSeconds), Auth.Required, cancellationToken)
            .ConfigureAwait(false)).Messages;

    /// <summary>Acknowledges deliveries: the messages are deleted (<c>POST /v1/queues/{name}/ack</c>).</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="leases">1–1000 lease tokens from <see cref="ReceivedMessage.Lease"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One answer per lease; an expired lease is <c>lease_expired</c> there, not an exception.</returns>
    public Task<SettleOutcome> AckAsync(string queue, IEnumerable<string> leases, CancellationToken cancellationToken = default) =>
        SettleAsync(queue, "ack", leases, null, null, null, null, cancellationToken);

    /// <summary>Releases deliveries so the messages are delivered again, after <paramref name="delaySeconds"/> (<c>POST /v1/queues/{name}/nack</c>).</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="leases">1–1000 lease tokens.</param>
    /// <param name="delaySeconds">Seconds before redelivery; null for at once.</param>
    /// <param name="reason">Why, kept in the message's history.</param>
    /// <param name="deadLetter">Move the messages straight to the dead-letter queue instead.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One answer per lease.</returns>
    public Task<SettleOutcome> NackAsync(string queue, IEnumerable<string> leases, int? delaySeconds = null, string? reason = null, bool deadLetter = false,
        CancellationToken cancellationToken = default) =>
        SettleAsync(queue, "nack", leases, delaySeconds, reason, deadLetter ? true : null, null, cancellationToken);

    /// <summary>Extends leases for consumers that need longer (<c>POST /v1/queues/{name}/extend</c>).</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="leases">1–1000 lease tokens.</param>
    /// <param name="leaseSeconds">The new lease length from now; null for the queue's default.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One answer per lease, each with its new <see cref="SettleResult.LeaseExpiresAt"/>.</returns>
    public Task<SettleOutcome> ExtendAsync(string queue, IEnumerable<string> leases, int? leaseSeconds = null, CancellationToken cancellationToken = default) =>
        SettleAsync(queue, "extend", leases, null, null, null, leaseSeconds, cancellationToken);

    private async Task<SettleOutcome> SettleAsync(string queue, string action, IEnumerable<string> leases, int? delaySeconds, string? reason, bool? deadLetter,
        int? leaseSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var list = leases.ToArray();
        try
        {
            return await SendAsync<SettleOutcome>(HttpMethod.Post, QueuePath(queue) + "/" + action,
                new SettleBody(list, delaySeconds, reason, deadLetter, leaseSeconds), Auth.Required, cancellationToken).ConfigureAwait(false);
        }
        catch (SwitchboardApiException problem) when (list.Length == 1 && problem.Code == "lease_expired")
        {
            // The server answers a single failed lease with a 409 problem; callers get the same per-lease shape either way.
            return new SettleOutcome(0, 1, [new SettleResult(list[0], false, problem.Code, problem.Detail, null)]);
        }
    }
}
