using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Broker;

/// <summary>
/// The one entry point to the broker for every transport: checks permissions (<c>broker:publish|consume|manage:&lt;name&gt;</c>),
/// names and limits, then calls the engine's <see cref="IBrokerStore"/>. Internal features pass <see cref="System"/>,
/// the only caller allowed to use names under <c>$sys.</c>.
/// </summary>
public sealed class BrokerService(IBrokerStore store, IOptionsMonitor<BrokerOptions> options, BrokerMetrics metrics)
{
    public const string Area = "broker";
    public const string Publish = "publish";
    public const string Consume = "consume";
    public const string Manage = "manage";

    private const int MaxLimitSeconds = 14 * 24 * 60 * 60;
    private const int MaxHeaders = 64;
    private const string SubjectHeader = "$subject";

    /// <summary>The server itself: may do everything, including under <c>$sys.</c>.</summary>
    public static Caller System { get; } = new("system", "system", Roles.Admin, CallerKind.User, ScopeSet.Everything, null);

    public IBrokerStore Store => store;

    private BrokerOptions Options => options.CurrentValue;

    public async Task<QueueInfo> CreateQueueAsync(Caller caller, string? name, QueueSettingsInput? input, CancellationToken cancellationToken = default)
    {
        var internalCall = IsSystem(caller);
        BrokerNames.Validate(name, "queue", internalCall);
        caller.Demand(Area, Manage, name);
        var settings = Merge(QueueSettings.Default(name!), input ?? new QueueSettingsInput(), internalCall, name!);
        return await store.CreateQueueAsync(name!, settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the queue unless it exists; for internal queues the server relies on.</summary>
    public async Task<QueueInfo> EnsureQueueAsync(Caller caller, string name, QueueSettingsInput? input = null, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetQueueAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }
        try
        {
            return await CreateQueueAsync(caller, name, input, cancellationToken).ConfigureAwait(false);
        }
        catch (SwitchboardException ex) when (ex.Error == ErrorCodes.QueueExists)
        {
            return await GetQueueAsync(caller, name, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<QueueInfo> GetQueueAsync(Caller caller, string name, CancellationToken cancellationToken = default)
    {
        DemandAny(caller, name);
        return await store.GetQueueAsync(name, cancellationToken).ConfigureAwait(false) ?? throw QueueNotFound(name);
    }

    /// <summary>The queues the caller may do anything with, each with its stats.</summary>
    public async Task<IReadOnlyList<(QueueInfo Queue, QueueStats Stats)>> ListQueuesAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var queues = await store.ListQueuesAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<(QueueInfo, QueueStats)>(queues.Count);
        foreach (var queue in queues)
        {
            if (!CanAny(caller, queue.Name))
            {
                continue;
            }
            try
            {
                result.Add((queue, await store.GetStatsAsync(queue.Name, cancellationToken).ConfigureAwait(false)));
            }
            catch (SwitchboardException ex) when (ex.Error == ErrorCodes.QueueNotFound)
            {
                // Deleted while listing.
            }
        }
        return result;
    }

    public async Task<QueueInfo> UpdateQueueAsync(Caller caller, string name, QueueSettingsInput input, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, name);
        var current = await store.GetQueueAsync(name, cancellationToken).ConfigureAwait(false) ?? throw QueueNotFound(name);
        var settings = Merge(current.Settings, input, IsSystem(caller), name);
        return await store.UpdateQueueAsync(name, settings, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteQueueAsync(Caller caller, string name, bool force, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, name);
        RefuseReserved(caller, name, "delete");
        await store.DeleteQueueAsync(name, force, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> PurgeAsync(Caller caller, string name, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, name);
        return await store.PurgeAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<QueueStats> GetStatsAsync(Caller caller, string name, CancellationToken cancellationToken = default)
    {
        DemandAny(caller, name);
        return await store.GetStatsAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PublishResult>> PublishAsync(Caller caller, string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Publish, queue);
        RefuseReserved(caller, queue, "publish to");
        ValidateBatch(messages);
        var results = await store.PublishAsync(queue, messages, cancellationToken).ConfigureAwait(false);
        metrics.Published(queue, results.Count(r => !r.Duplicate));
        return results;
    }

    public async Task<IReadOnlyList<BrokerMessage>> ReceiveAsync(Caller caller, string queue, int? max, int? waitSeconds, int? leaseSeconds, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Consume, queue);
        var limits = Options;
        new Validation()
            .Require(max is null || (max >= 1 && max <= limits.MaxReceive), "max", $"max must be 1–{limits.MaxReceive}.")
            .Require(waitSeconds is null || (waitSeconds >= 0 && waitSeconds <= limits.MaxWaitSeconds), "waitSeconds", $"waitSeconds must be 0–{limits.MaxWaitSeconds}.")
            .Require(leaseSeconds is null || (leaseSeconds >= 1 && leaseSeconds <= limits.MaxLeaseSeconds), "leaseSeconds", $"leaseSeconds must be 1–{limits.MaxLeaseSeconds}.")
            .ThrowIfInvalid();
        TimeSpan? lease = leaseSeconds is null ? null : TimeSpan.FromSeconds(leaseSeconds.Value);
        var messages = await store.ReceiveAsync(queue, max ?? 1, lease, TimeSpan.FromSeconds(waitSeconds ?? 0), cancellationToken).ConfigureAwait(false);
        metrics.Delivered(queue, messages.Count);
        return messages;
    }

    public async Task<IReadOnlyList<SettleResult>> AckAsync(Caller caller, string queue, IReadOnlyList<LeaseToken> leases, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Consume, queue);
        ValidateLeaseCount(leases);
        var results = await store.AckAsync(queue, leases, cancellationToken).ConfigureAwait(false);
        metrics.Acked(queue, results.Count(r => r.Succeeded));
        return results;
    }

    public async Task<IReadOnlyList<SettleResult>> NackAsync(Caller caller, string queue, IReadOnlyList<LeaseToken> leases, int? delaySeconds, string? reason, bool deadLetter, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Consume, queue);
        ValidateLeaseCount(leases);
        new Validation()
            .Require(delaySeconds is null || (delaySeconds >= 0 && delaySeconds <= MaxLimitSeconds), "delaySeconds", $"delaySeconds must be 0–{MaxLimitSeconds}.")
            .Require(reason is null || reason.Length <= 1024, "reason", "reason must be at most 1024 characters.")
            .ThrowIfInvalid();
        var results = await store.NackAsync(queue, leases, new NackOptions(TimeSpan.FromSeconds(delaySeconds ?? 0), reason, deadLetter), cancellationToken).ConfigureAwait(false);
        metrics.Nacked(queue, results.Count(r => r.Succeeded));
        return results;
    }

    public async Task<IReadOnlyList<SettleResult>> ExtendAsync(Caller caller, string queue, IReadOnlyList<LeaseToken> leases, int? leaseSeconds, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Consume, queue);
        ValidateLeaseCount(leases);
        var max = Options.MaxLeaseSeconds;
        new Validation()
            .Require(leaseSeconds is null || (leaseSeconds >= 1 && leaseSeconds <= max), "leaseSeconds", $"leaseSeconds must be 1–{max}.")
            .ThrowIfInvalid();
        var queueInfo = await store.GetQueueAsync(queue, cancellationToken).ConfigureAwait(false) ?? throw QueueNotFound(queue);
        var lease = TimeSpan.FromSeconds(leaseSeconds ?? queueInfo.Settings.LeaseSeconds);
        return await store.ExtendAsync(queue, leases, lease, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BrokerMessage>> PeekAsync(Caller caller, string queue, int? limit, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, queue);
        new Validation().Require(limit is null || (limit >= 1 && limit <= 1000), "limit", "limit must be 1–1000.").ThrowIfInvalid();
        return await store.PeekAsync(queue, limit ?? 20, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves dead letters back. With <paramref name="ratePerSecond"/> they move in chunks of that size once a second,
    /// so a consumer that just recovered is not flooded; the call returns when all have moved.
    /// </summary>
    public async Task<int> RedriveAsync(Caller caller, string queue, IReadOnlyCollection<Guid>? ids, string? target, int? ratePerSecond, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, queue);
        if (target is not null)
        {
            BrokerNames.Validate(target, "target queue", IsSystem(caller));
            caller.Demand(Area, Manage, target);
        }
        new Validation()
            .Require(ratePerSecond is null || ratePerSecond is >= 1 and <= 100_000, "ratePerSecond", "ratePerSecond must be 1–100000.")
            .Require(ids is null || ids.Count <= 10_000, "ids", "Send at most 10000 ids; omit ids to redrive everything.")
            .ThrowIfInvalid();
        if (ratePerSecond is null)
        {
            return await store.RedriveAsync(queue, ids, target, cancellationToken).ConfigureAwait(false);
        }
        var moved = 0;
        while (true)
        {
            IReadOnlyCollection<Guid> chunk;
            if (ids is not null)
            {
                chunk = ids.Skip(moved).Take(ratePerSecond.Value).ToArray();
            }
            else
            {
                var peeked = await store.PeekAsync(queue, Math.Min(ratePerSecond.Value, 1000), cancellationToken).ConfigureAwait(false);
                chunk = peeked.Where(m => m.State != BrokerMessage.InFlight).Select(m => m.Id).ToArray();
            }
            if (chunk.Count == 0)
            {
                return moved;
            }
            var count = await store.RedriveAsync(queue, chunk, target, cancellationToken).ConfigureAwait(false);
            moved += ids is null ? count : chunk.Count;
            if (count == 0 && ids is null)
            {
                return moved;
            }
            if (ids is not null && moved >= ids.Count)
            {
                return moved;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteMessageAsync(Caller caller, string queue, Guid id, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, queue);
        if (!await store.DeleteMessageAsync(queue, id, cancellationToken).ConfigureAwait(false))
        {
            throw new SwitchboardException(ErrorCodes.MessageNotFound, $"No message {id} is in queue '{queue}'.");
        }
    }

    public async Task<TopicInfo> CreateTopicAsync(Caller caller, string? name, CancellationToken cancellationToken = default)
    {
        BrokerNames.Validate(name, "topic", IsSystem(caller));
        caller.Demand(Area, Manage, name);
        return await store.CreateTopicAsync(name!, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TopicInfo> EnsureTopicAsync(Caller caller, string name, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetTopicAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }
        try
        {
            return await CreateTopicAsync(caller, name, cancellationToken).ConfigureAwait(false);
        }
        catch (SwitchboardException ex) when (ex.Error == ErrorCodes.TopicExists)
        {
            return await store.GetTopicAsync(name, cancellationToken).ConfigureAwait(false) ?? throw TopicNotFound(name);
        }
    }

    public async Task<IReadOnlyList<TopicInfo>> ListTopicsAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var topics = await store.ListTopicsAsync(cancellationToken).ConfigureAwait(false);
        return topics.Where(t => CanAny(caller, t.Name)).ToArray();
    }

    public async Task DeleteTopicAsync(Caller caller, string name, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, name);
        RefuseReserved(caller, name, "delete");
        await store.DeleteTopicAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Subscription> SubscribeAsync(Caller caller, string topic, string? queue, string? pattern, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, topic);
        BrokerNames.Validate(queue, "queue", IsSystem(caller));
        caller.Demand(Area, Manage, queue);
        if (pattern is null || !SubjectPattern.IsValid(pattern))
        {
            throw SwitchboardException.Validation("pattern",
                $"'{pattern}' is not a subject pattern: dot-separated tokens, '*' for one token, '>' as the last token for the rest (e.g. 'orders.*', 'orders.>').");
        }
        ValidateHeaders(headers, "headers");
        return await store.SubscribeAsync(topic, queue!, pattern, headers ?? new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(Caller caller, string topic, CancellationToken cancellationToken = default)
    {
        DemandAny(caller, topic);
        return await store.ListSubscriptionsAsync(topic, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteSubscriptionAsync(Caller caller, string topic, Guid id, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Manage, topic);
        await store.DeleteSubscriptionAsync(topic, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes to a topic; each message carries its subject in the <c>$subject</c> header.</summary>
    public async Task<IReadOnlyList<TopicPublishResult>> PublishToTopicAsync(Caller caller, string topic, string? subject, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Publish, topic);
        RefuseReserved(caller, topic, "publish to");
        if (subject is null || !SubjectPattern.IsValid(subject) || subject.Contains('*') || subject.Contains('>'))
        {
            throw SwitchboardException.Validation("subject", $"'{subject}' is not a subject: dot-separated tokens without wildcards, e.g. 'orders.eu.created'.");
        }
        ValidateBatch(messages);
        var stamped = messages.Select(m => m with
        {
            Headers = new Dictionary<string, string>(m.Headers ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [SubjectHeader] = subject },
        }).ToArray();
        var results = await store.PublishToTopicAsync(topic, subject, stamped, cancellationToken).ConfigureAwait(false);
        foreach (var group in results.SelectMany(r => r.Deliveries).GroupBy(d => d.Queue))
        {
            metrics.Published(group.Key, group.Count());
        }
        return results;
    }

    public static bool IsSystem(Caller caller) => ReferenceEquals(caller, System);

    /// <summary>
    /// Only the server writes to or removes its own <c>$sys.</c> queues and topics, so no one, not even an admin, can forge
    /// a system event or a delivery job. Admins may still read them, subscribe to them and redrive their dead letters.
    /// </summary>
    private static void RefuseReserved(Caller caller, string name, string action)
    {
        if (BrokerNames.IsSystem(name) && !IsSystem(caller))
        {
            throw new SwitchboardException(ErrorCodes.Forbidden,
                $"Only the server may {action} '{name}': names under '{BrokerNames.SystemPrefix}' are reserved. Subscribe a queue of your own to read them.");
        }
    }

    private static bool CanAny(Caller caller, string name) =>
        caller.Can(Area, Manage, name) || caller.Can(Area, Consume, name) || caller.Can(Area, Publish, name);

    private static void DemandAny(Caller caller, string name)
    {
        if (!CanAny(caller, name))
        {
            caller.Demand(Area, Manage, name);
        }
    }

    private void ValidateBatch(IReadOnlyList<OutgoingMessage> messages)
    {
        var limits = Options;
        if (messages.Count == 0)
        {
            throw SwitchboardException.Validation("messages", "Send at least one message.");
        }
        if (messages.Count > limits.MaxBatchMessages)
        {
            throw new SwitchboardException(ErrorCodes.BatchTooLarge, $"A batch holds at most {limits.MaxBatchMessages} messages; this one has {messages.Count}. Split it.");
        }
        long total = 0;
        var validation = new Validation();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var field = messages.Count == 1 ? "" : $"messages[{i}].";
            if (message.Body.Length > limits.MaxMessageBytes)
            {
                throw new SwitchboardException(ErrorCodes.MessageTooLarge,
                    $"{(field.Length == 0 ? "The message body" : $"{field}body")} has {message.Body.Length} bytes; the limit is {limits.MaxMessageBytes} (Broker:MaxMessageBytes).");
            }
            total += message.Body.Length;
            validation
                .Require(message.Priority is >= 0 and <= 9, field + "priority", "priority must be 0–9.")
                .Require(message.Delay >= TimeSpan.Zero && message.Delay <= TimeSpan.FromSeconds(MaxLimitSeconds), field + "delaySeconds", $"delaySeconds must be 0–{MaxLimitSeconds}.")
                .Require(message.TimeToLive is null || (message.TimeToLive > TimeSpan.Zero && message.TimeToLive <= TimeSpan.FromSeconds(MaxLimitSeconds)), field + "ttlSeconds", $"ttlSeconds must be 1–{MaxLimitSeconds}.")
                .Require(message.GroupKey is null || message.GroupKey.Length is >= 1 and <= 128, field + "groupKey", "groupKey must be 1–128 characters.")
                .Require(message.IdempotencyKey is null || message.IdempotencyKey.Length is >= 1 and <= 256, field + "idempotencyKey", "idempotencyKey must be 1–256 characters.");
            ValidateHeaders(message.Headers, field + "headers", validation);
        }
        validation.ThrowIfInvalid();
        if (total > limits.MaxBatchBytes)
        {
            throw new SwitchboardException(ErrorCodes.MessageTooLarge, $"The batch carries {total} body bytes; the limit is {limits.MaxBatchBytes} (Broker:MaxBatchBytes). Split it.");
        }
    }

    private static void ValidateHeaders(IReadOnlyDictionary<string, string>? headers, string field, Validation? into = null)
    {
        if (headers is null)
        {
            return;
        }
        var validation = into ?? new Validation();
        validation.Require(headers.Count <= MaxHeaders, field, $"At most {MaxHeaders} headers.");
        foreach (var (key, value) in headers)
        {
            validation
                .Require(key.Length is >= 1 and <= 128, field, $"Header name '{key}' must be 1–128 characters.")
                .Require(value is not null && value.Length <= 4096, field, $"Header '{key}' must have a value of at most 4096 characters.");
        }
        if (into is null)
        {
            validation.ThrowIfInvalid();
        }
    }

    private static void ValidateLeaseCount(IReadOnlyList<LeaseToken> leases)
    {
        if (leases.Count is 0 or > 1000)
        {
            throw SwitchboardException.Validation("leases", "Send 1–1000 lease tokens.");
        }
    }

    private static QueueSettings Merge(QueueSettings current, QueueSettingsInput input, bool internalCall, string name)
    {
        var validation = new Validation()
            .Require(input.LeaseSeconds is null or (>= 1 and <= 12 * 60 * 60), "leaseSeconds", "leaseSeconds must be 1–43200.")
            .Require(input.MaxDeliveries is null or (>= 0 and <= 1000), "maxDeliveries", "maxDeliveries must be 0–1000 (0: never dead-letter).")
            .Require(input.RetentionSeconds is null or (>= 0 and <= MaxLimitSeconds), "retentionSeconds", $"retentionSeconds must be 0–{MaxLimitSeconds} (0: keep until settled).")
            .Require(input.MaxLength is null or >= 0, "maxLength", "maxLength must be 0 or more (0: no limit).")
            .Require(input.DedupWindowSeconds is null or (>= 0 and <= MaxLimitSeconds), "dedupWindowSeconds", $"dedupWindowSeconds must be 0–{MaxLimitSeconds}.")
            .Require(input.Ordering is null || Enum.IsDefined(input.Ordering.Value), "ordering", "ordering must be none, fifo or fifoByGroup.");
        validation.ThrowIfInvalid();
        var deadLetter = input.DeadLetterQueue switch
        {
            null => current.DeadLetterQueue,
            "" => null,
            var other => other,
        };
        if (deadLetter is not null)
        {
            BrokerNames.Validate(deadLetter, "dead-letter queue", internalCall || (BrokerNames.IsSystem(name) && deadLetter == QueueSettings.DeadLetterName(name)));
            if (deadLetter == name)
            {
                throw SwitchboardException.Validation("deadLetterQueue", "A queue cannot be its own dead-letter queue.");
            }
        }
        return new QueueSettings(
            input.LeaseSeconds ?? current.LeaseSeconds,
            input.MaxDeliveries ?? current.MaxDeliveries,
            deadLetter,
            input.RetentionSeconds switch { null => current.RetentionSeconds, 0 => null, var v => v },
            input.MaxLength switch { null => current.MaxLength, 0 => null, var v => v },
            input.DedupWindowSeconds ?? current.DedupWindowSeconds,
            input.Ordering ?? current.Ordering);
    }

    private static SwitchboardException QueueNotFound(string name) =>
        new(ErrorCodes.QueueNotFound, $"Queue '{name}' does not exist; create it with POST /v1/queues.");

    private static SwitchboardException TopicNotFound(string name) =>
        new(ErrorCodes.TopicNotFound, $"Topic '{name}' does not exist; create it with POST /v1/topics.");
}
