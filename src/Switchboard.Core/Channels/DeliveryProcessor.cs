using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Switchboard.Broker;
using Switchboard.Chat;

namespace Switchboard.Channels;

/// <summary>
/// Carries one delivery job through its hop: call the provider through the instance's resilience pipeline, record
/// every attempt, then either mark it sent, move it to the next enabled instance of its route (a new job on that
/// instance's queue), or, when the route is exhausted, mark it failed and put it on <c>$sys.delivery.dlq</c> with its
/// attempt history. Every step is safe to repeat: a job redelivered after a crash finds the recorded state and resumes.
/// </summary>
public sealed class DeliveryProcessor(
    IDeliveryStore store,
    IChannelAddressStore addressStore,
    IChatStore chatStore,
    BrokerService broker,
    ChannelRegistry registry,
    ChannelResilience resilience,
    IEnumerable<IChannelConnector> connectors,
    IEnumerable<IChatEvents> chatEvents,
    ChannelMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger)
{
    private readonly Dictionary<string, IChannelConnector> _connectors = connectors.ToDictionary(c => c.Type, StringComparer.Ordinal);

    /// <summary>Handles a job received from a delivery queue; the caller acks it afterwards.</summary>
    public async Task HandleAsync(BrokerMessage message, CancellationToken cancellationToken)
    {
        var ticket = DeliveryTicket.From(message);
        if (ticket is null)
        {
            // A chat message's job: one delivery per recipient, created again identically if the job is redelivered.
            var job = JsonSerializer.Deserialize<DeliveryJob>(message.Body.Span, DeliveryTicket.Json)!;
            var deliveries = await ChatDeliveriesAsync(job, message.Priority, cancellationToken).ConfigureAwait(false);
            await store.CreateDeliveriesAsync(deliveries, cancellationToken).ConfigureAwait(false);
            if (deliveries.Count > 1)
            {
                // Each recipient's delivery goes its own way (retries, fallback, dead letter) as a ticket of its own;
                // the keys deduplicate the tickets of a redelivered job.
                foreach (var each in deliveries)
                {
                    await EnqueueAsync(each, 0, FirstKey(each), cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            ticket = new DeliveryTicket(deliveries[0].Id, 0);
        }
        var delivery = await store.GetDeliveryAsync(ticket.DeliveryId, cancellationToken).ConfigureAwait(false);
        if (delivery is null || DeliveryStatus.Rank(delivery.Status) >= DeliveryStatus.Rank(DeliveryStatus.Sent))
        {
            return; // Unknown, or already settled by an earlier delivery of this job.
        }
        if (delivery.Hop != ticket.Hop)
        {
            if (delivery.Hop > ticket.Hop)
            {
                // The move to the next hop was recorded but its job may not have been published before a crash.
                await EnqueueAsync(delivery, delivery.Hop, $"{delivery.Id}:{delivery.Hop}:{delivery.UpdatedAt.ToUnixTimeMilliseconds()}", cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        await DeliverAsync(delivery, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The deliveries of a chat message's job: to the contact it replies to; else to every other member of the
    /// conversation with an address for the channel (by instance name, then type, then <c>*</c>); else one to the
    /// instance's <c>DefaultRecipient</c>, which records <c>no_address</c> when there is none, so the sender learns why.
    /// </summary>
    private async Task<IReadOnlyList<Delivery>> ChatDeliveriesAsync(DeliveryJob job, int priority, CancellationToken cancellationToken)
    {
        Delivery To(Guid id, IReadOnlyDictionary<string, string> addresses) => new(id, null, job.ConversationId, job.MessageId, job.SenderId,
            [job.Channel], 0, addresses, null, job.Text, "info", priority, DeliveryStatus.Queued, null, null, null, job.CreatedAt, job.CreatedAt);

        if (job.Recipient is not null)
        {
            return [To(job.Id, new Dictionary<string, string> { ["*"] = job.Recipient })];
        }
        var type = registry.TryGet(job.Channel, out var options) ? options.Type ?? "" : "";
        var others = (await chatStore.ListMembersAsync(job.ConversationId, cancellationToken).ConfigureAwait(false))
            .Select(m => m.UserId).Where(u => !string.Equals(u, job.SenderId, StringComparison.Ordinal)).ToArray();
        var known = others.Length == 0 ? new Dictionary<string, IReadOnlyDictionary<string, string>>()
            : await addressStore.ListAsync(others, cancellationToken).ConfigureAwait(false);
        var deliveries = new List<Delivery>();
        foreach (var user in others)
        {
            if (known.TryGetValue(user, out var addresses) && AddressFor(addresses, job.Channel, type) is { } address)
            {
                deliveries.Add(To(RecipientDeliveryId(job.Id, user), new Dictionary<string, string> { ["*"] = address }));
            }
        }
        return deliveries.Count > 0 ? deliveries : [To(job.Id, new Dictionary<string, string>())];
    }

    /// <summary>A name-based UUID (version 8) of the job and the recipient: the same on every redelivery of the job.</summary>
    private static Guid RecipientDeliveryId(Guid jobId, string userId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{jobId:N}\n{userId}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>Publishes the job for <paramref name="hop"/> of the delivery's route.</summary>
    public async Task EnqueueAsync(Delivery delivery, int hop, string idempotencyKey, CancellationToken cancellationToken) =>
        await broker.PublishAsync(BrokerService.System, DeliveryJob.QueueFor(delivery.Route[hop]),
            [new DeliveryTicket(delivery.Id, hop).ToMessage(delivery.Priority, idempotencyKey)], cancellationToken).ConfigureAwait(false);

    /// <summary>The idempotency key of a delivery's first job: a republish by the sweep is deduplicated against it.</summary>
    public static string FirstKey(Delivery delivery) => $"{delivery.Id}:{delivery.Hop}:{delivery.CreatedAt.ToUnixTimeMilliseconds()}";

    /// <summary>One send through one instance, outside the queues: what <c>POST /v1/channels/{name}/test</c> does.</summary>
    public async Task<(string? ProviderId, IReadOnlyList<DeliveryAttempt> Attempts)> SendDirectAsync(string instance, ChannelMessage message,
        CancellationToken cancellationToken)
    {
        var attempts = new List<DeliveryAttempt>();
        var addresses = message.Recipient is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["*"] = message.Recipient };
        var result = await AttemptAsync(message.DeliveryId, message.NotificationId, instance, addresses, message.Title, message.Text, message.Severity,
            message.Attachments, message.Template, attempts, cancellationToken).ConfigureAwait(false);
        return (result.ProviderId, attempts);
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var attempts = new List<DeliveryAttempt>();
        var hop = delivery.Hop;
        var result = await AttemptAsync(delivery.Id, delivery.NotificationId, delivery.Route[hop], delivery.Addresses, delivery.Title, delivery.Text,
            delivery.Severity, delivery.Attachments, delivery.Template, attempts, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (result.Sent)
        {
            var sent = await store.UpdateAsync(new DeliveryUpdate(delivery.Id, now, attempts, DeliveryStatus.Sent, ProviderId: result.ProviderId),
                cancellationToken).ConfigureAwait(false);
            await PushStatusAsync(sent, cancellationToken).ConfigureAwait(false);
            return;
        }
        var next = hop + 1;
        while (next < delivery.Route.Count && !registry.IsEnabled(delivery.Route[next]))
        {
            attempts.Add(new DeliveryAttempt(delivery.Id, delivery.Route[next], now, DeliveryAttempt.Skipped, 0, null, "channel_disabled",
                $"The channel instance '{delivery.Route[next]}' is disabled or not configured."));
            next++;
        }
        if (next < delivery.Route.Count)
        {
            var moved = await store.UpdateAsync(new DeliveryUpdate(delivery.Id, now, attempts, Hop: next), cancellationToken).ConfigureAwait(false);
            await EnqueueAsync(delivery, next, $"{delivery.Id}:{next}:{moved!.Delivery.UpdatedAt.ToUnixTimeMilliseconds()}", cancellationToken).ConfigureAwait(false);
            return;
        }
        var last = attempts.LastOrDefault(a => !a.Succeeded);
        var history = await store.ListAttemptsAsync([delivery.Id], cancellationToken).ConfigureAwait(false);
        var deadLetter = new DeadLetter(delivery.Id, delivery.NotificationId, delivery.ConversationId, delivery.MessageId, delivery.Route,
            last?.ErrorCode, last?.ErrorMessage, [.. history, .. attempts]);
        // Dead-lettered first, then marked failed: a crash in between repeats the dead-lettering, deduplicated by its key.
        await broker.PublishAsync(BrokerService.System, DeliveryTicket.DeadLetterQueue, [deadLetter.ToMessage(delivery.Priority,
            $"{delivery.Id}:dlq:{delivery.UpdatedAt.ToUnixTimeMilliseconds()}")], cancellationToken).ConfigureAwait(false);
        var failed = await store.UpdateAsync(new DeliveryUpdate(delivery.Id, now, attempts, DeliveryStatus.Failed,
            ErrorCode: last?.ErrorCode ?? "route_exhausted", ErrorMessage: last?.ErrorMessage ?? "Every channel instance of the route failed."),
            cancellationToken).ConfigureAwait(false);
        ChannelLog.DeadLettered(logger, delivery.Id);
        await PushStatusAsync(failed, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(bool Sent, string? ProviderId)> AttemptAsync(Guid deliveryId, Guid? notificationId, string instance,
        IReadOnlyDictionary<string, string> addresses, string? title, string text, string severity, IReadOnlyList<ChannelAttachment>? attachments,
        ChannelTemplate? template, List<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!registry.TryGet(instance, out var options) || !registry.IsEnabled(instance))
        {
            Record(attempts, new DeliveryAttempt(deliveryId, instance, now, DeliveryAttempt.Skipped, 0, null, "channel_disabled",
                $"The channel instance '{instance}' is disabled or not configured."));
            return (false, null);
        }
        if (options.Type is null || !_connectors.TryGetValue(options.Type, out var connector))
        {
            Record(attempts, new DeliveryAttempt(deliveryId, instance, now, DeliveryAttempt.Skipped, 0, null, "channel_unsupported",
                $"The channel instance '{instance}' has no connector for type '{options.Type}'."));
            return (false, null);
        }
        var recipient = AddressFor(addresses, instance, options.Type) ?? options.DefaultRecipient;
        if (recipient is null && ChannelTypes.NeedsRecipient(options.Type))
        {
            Record(attempts, new DeliveryAttempt(deliveryId, instance, now, DeliveryAttempt.Skipped, 0, null, "no_address",
                $"The recipient has no address for '{instance}' ({options.Type}) and the instance has no DefaultRecipient."));
            return (false, null);
        }
        // A template goes only where the type supports templates; elsewhere the text is sent.
        var message = new ChannelMessage(deliveryId, notificationId, instance, recipient, title, text, severity, attachments,
            ChannelCapabilities.For(options.Type).Templates ? template : null);
        try
        {
            var providerId = await resilience.PipelineFor(instance).ExecuteAsync(async ct =>
            {
                var at = time.GetUtcNow();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var receipt = await connector.SendAsync(options, message, ct).ConfigureAwait(false);
                    Record(attempts, new DeliveryAttempt(deliveryId, instance, at, DeliveryAttempt.Sent, Elapsed(started), receipt.StatusCode, null, null));
                    return receipt.MessageId;
                }
                catch (ProviderException ex)
                {
                    Record(attempts, new DeliveryAttempt(deliveryId, instance, at, ex.Retryable ? DeliveryAttempt.Retryable : DeliveryAttempt.Rejected,
                        Elapsed(started), ex.StatusCode, ex.Code, ex.Message));
                    throw;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Record(attempts, new DeliveryAttempt(deliveryId, instance, at, DeliveryAttempt.Retryable, Elapsed(started), null, "timeout",
                        $"No answer within {options.Timeout.TotalSeconds:0.###} s."));
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
            return (true, providerId);
        }
        catch (BrokenCircuitException)
        {
            Record(attempts, new DeliveryAttempt(deliveryId, instance, time.GetUtcNow(), DeliveryAttempt.CircuitOpen, 0, null, "circuit_open",
                $"The circuit of '{instance}' is open after repeated failures; not calling it."));
            return (false, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (attempts.Count == 0 || attempts[^1].Succeeded)
            {
                Record(attempts, new DeliveryAttempt(deliveryId, instance, time.GetUtcNow(), DeliveryAttempt.Rejected, 0, null, "unexpected_error", ex.Message));
            }
            return (false, null);
        }
    }

    private void Record(List<DeliveryAttempt> attempts, DeliveryAttempt attempt)
    {
        attempts.Add(attempt);
        metrics.Attempt(attempt);
        if (!attempt.Succeeded)
        {
            ChannelLog.AttemptFailed(logger, attempt.DeliveryId, attempt.Channel, attempt.ErrorCode ?? attempt.Outcome);
        }
    }

    /// <summary>The address for an instance: by instance name, then by channel type, then <c>*</c>.</summary>
    public static string? AddressFor(IReadOnlyDictionary<string, string> addresses, string instance, string type) =>
        addresses.TryGetValue(instance, out var byName) ? byName
        : addresses.TryGetValue(type, out var byType) ? byType
        : addresses.TryGetValue("*", out var any) ? any
        : null;

    /// <summary>Tells the sender of a chat message how its delivery stands, when the status moved.</summary>
    public async Task PushStatusAsync(DeliveryChange? change, CancellationToken cancellationToken)
    {
        if (change is not { StatusChanged: true, Delivery: { ConversationId: { } conversation, MessageId: { } messageId, SenderId: { } sender } delivery })
        {
            return;
        }
        var update = new MessageStatusUpdate(conversation, messageId, delivery.Channel, delivery.Status, delivery.ErrorCode, delivery.ErrorMessage,
            delivery.UpdatedAt);
        foreach (var events in chatEvents)
        {
            try
            {
                await events.MessageStatusAsync(sender, update, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ChannelLog.LiveStatusFailed(logger, ex, delivery.Id);
            }
        }
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
