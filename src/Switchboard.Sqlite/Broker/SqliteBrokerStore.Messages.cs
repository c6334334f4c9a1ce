using System.Runtime.InteropServices;
using System.Text.Json;
using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Sqlite.Broker;

internal sealed partial class SqliteBrokerStore
{
    public async Task<IReadOnlyList<PublishResult>> PublishAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        var reservation = new Reservation();
        try
        {
            return await _database.Writer.ExecuteAsync(ctx => PublishInto(ctx, state, messages, reservation), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Unreserve(reservation);
        }
    }

    /// <summary>
    /// Publishes <paramref name="entries"/> inside another store's write operation (the transactional outbox): they
    /// become durable with that operation's commit, or vanish with its rollback.
    /// </summary>
    internal void PublishWithin(SqliteWriteContext ctx, IReadOnlyList<OutboxEntry> entries)
    {
        foreach (var group in entries.GroupBy(e => (e.Target, e.Subject)))
        {
            var messages = group.Select(e => e.Message).ToArray();
            var reservation = new Reservation();
            ctx.OnRolledBack(() => Unreserve(reservation));
            if (group.Key.Subject is { } subject)
            {
                PublishToTopicInto(ctx, FindTopic(group.Key.Target), subject, messages, reservation);
            }
            else
            {
                PublishInto(ctx, Find(group.Key.Target), messages, reservation);
            }
        }
    }

    private IReadOnlyList<PublishResult> PublishInto(SqliteWriteContext ctx, QueueState state, IReadOnlyList<OutgoingMessage> messages, Reservation reservation)
    {
        var queue = state.Name;
        EnsureQueueRow(ctx, queue);
        var now = Now();
        var settings = state.Settings;
        var results = new PublishResult[messages.Count];
        var fresh = new List<int>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.IdempotencyKey is { } key && settings.DedupWindowSeconds > 0)
            {
                if (FindDuplicate(ctx, queue, key, now) is { } original)
                {
                    results[i] = new PublishResult(original, true);
                    continue;
                }
            }
            var id = BrokerRandom.NewVersion7(FromMs(now));
            results[i] = new PublishResult(id, false);
            if (message.IdempotencyKey is { } newKey && settings.DedupWindowSeconds > 0)
            {
                RememberKey(ctx, queue, newKey, id, now + settings.DedupWindowSeconds * 1000L);
            }
            fresh.Add(i);
        }
        Reserve(reservation, state, fresh.Count);
        var staged = new List<Staged>(fresh.Count);
        foreach (var i in fresh)
        {
            staged.Add(Insert(ctx, state, messages[i], results[i].Id, now));
        }
        ctx.OnCommitted(() => Apply(reservation, staged, now));
        return results;
    }

    public async Task<IReadOnlyList<BrokerMessage>> ReceiveAsync(string queue, int max, TimeSpan? lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        var deadline = Now() + (long)wait.TotalMilliseconds;
        while (true)
        {
            var now = Now();
            TaskCompletionSource? waiter = null;
            List<(MessageEntry Entry, LeaseToken Token, long LeaseExpiresAt)> picked = [];
            lock (state.Gate)
            {
                if (state.Deleted)
                {
                    throw QueueNotFound(queue);
                }
                var entries = state.TakeDeliverable(max, now);
                if (entries.Count > 0)
                {
                    var leaseMs = (long)(lease ?? TimeSpan.FromSeconds(state.Settings.LeaseSeconds)).TotalMilliseconds;
                    foreach (var entry in entries)
                    {
                        entry.DeliveryCount++;
                        var token = LeaseToken.New(entry.Id, entry.DeliveryCount);
                        entry.LeaseNonce = token.Nonce;
                        entry.DeliveredAt = now;
                        entry.LeaseExpiresAt = now + leaseMs;
                        entry.State = EntryState.InFlight;
                        state.EnterFlight(entry);
                        picked.Add((entry, token, entry.LeaseExpiresAt));
                    }
                }
                else if (now < deadline)
                {
                    waiter = state.AddWaiter();
                }
            }
            if (picked.Count > 0)
            {
                var bodies = await LoadBodiesAsync(picked.Select(p => p.Entry), cancellationToken).ConfigureAwait(false);
                var messages = new List<BrokerMessage>(picked.Count);
                foreach (var (entry, token, expiresAt) in picked)
                {
                    if (bodies.TryGetValue(entry.Id, out var body))
                    {
                        messages.Add(ToMessage(entry, body, token.ToString(), FromMs(expiresAt), BrokerMessage.InFlight, entry.DeliveryCount));
                    }
                }
                if (messages.Count > 0)
                {
                    return messages;
                }
                continue;
            }
            if (waiter is null)
            {
                return [];
            }
            try
            {
                await waiter.Task.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(1, deadline - now)), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                lock (state.Gate)
                {
                    state.RemoveWaiter(waiter);
                }
            }
            catch (OperationCanceledException)
            {
                lock (state.Gate)
                {
                    state.RemoveWaiter(waiter);
                }
                throw;
            }
        }
    }

    public async Task<IReadOnlyList<SettleResult>> AckAsync(string queue, IReadOnlyList<LeaseToken> leases, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        var (results, claimed) = Claim(state, leases);
        if (claimed.Count == 0)
        {
            return results;
        }
        try
        {
            await _database.Writer.ExecuteAsync(ctx =>
            {
                DeleteRows(ctx, claimed);
                ctx.OnCommitted(() =>
                {
                    lock (state.Gate)
                    {
                        foreach (var entry in claimed)
                        {
                            if (state.Remove(entry))
                            {
                                Uncache(entry);
                            }
                        }
                        if (state.Settings.Ordering != QueueOrdering.None)
                        {
                            state.Signal();
                        }
                    }
                });
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            Unclaim(state, claimed);
            throw;
        }
        return results;
    }

    public async Task<IReadOnlyList<SettleResult>> NackAsync(string queue, IReadOnlyList<LeaseToken> leases, NackOptions options, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        var (results, claimed) = Claim(state, leases);
        if (claimed.Count > 0)
        {
            await ReleaseAsync(state, claimed, options.DeadLetter ? "rejected" : "nack", options.Reason, options.Delay, options.DeadLetter).ConfigureAwait(false);
        }
        return results;
    }

    public Task<IReadOnlyList<SettleResult>> ExtendAsync(string queue, IReadOnlyList<LeaseToken> leases, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        var now = Now();
        var results = new SettleResult[leases.Count];
        lock (state.Gate)
        {
            for (var i = 0; i < leases.Count; i++)
            {
                if (IsCurrent(state, leases[i], now, out var entry))
                {
                    entry.LeaseExpiresAt = now + (long)lease.TotalMilliseconds;
                    results[i] = SettleResult.Ok(leases[i], FromMs(entry.LeaseExpiresAt));
                }
                else
                {
                    results[i] = SettleResult.Expired(leases[i]);
                }
            }
        }
        return Task.FromResult<IReadOnlyList<SettleResult>>(results);
    }

    public async Task<IReadOnlyList<BrokerMessage>> PeekAsync(string queue, int limit, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        List<(MessageEntry Entry, string State, int Deliveries, long? LeaseExpiresAt)> snapshot;
        lock (state.Gate)
        {
            state.PromoteDue(Now());
            snapshot = state.Entries.Values
                .OrderBy(e => e.Seq)
                .Take(limit)
                .Select(e => (e, e.State switch
                {
                    EntryState.Ready => BrokerMessage.Ready,
                    EntryState.Delayed => BrokerMessage.Delayed,
                    _ => BrokerMessage.InFlight,
                }, e.DeliveryCount, e.State is EntryState.InFlight or EntryState.Busy ? (long?)e.LeaseExpiresAt : null))
                .ToList();
        }
        var bodies = await LoadBodiesAsync(snapshot.Select(s => s.Entry), cancellationToken).ConfigureAwait(false);
        return snapshot
            .Where(s => bodies.ContainsKey(s.Entry.Id))
            .Select(s => ToMessage(s.Entry, bodies[s.Entry.Id], null, s.LeaseExpiresAt is { } at ? FromMs(at) : null, s.State, s.Deliveries))
            .ToArray();
    }

    public async Task<int> RedriveAsync(string queue, IReadOnlyCollection<Guid>? ids, string? target, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        var targetState = target is null ? null : Find(target);
        var moves = new List<(MessageEntry Entry, QueueState To)>();
        lock (state.Gate)
        {
            state.PromoteDue(Now());
            IEnumerable<MessageEntry> candidates = ids is null
                ? state.Entries.Values.OrderBy(e => e.Seq).ToArray()
                : ids.Distinct().Select(id => state.Entries.GetValueOrDefault(id)).OfType<MessageEntry>().ToArray();
            foreach (var entry in candidates)
            {
                if (entry.State is not (EntryState.Ready or EntryState.Delayed))
                {
                    continue;
                }
                var to = targetState ?? (entry.SourceQueue is { } source && _queues.TryGetValue(source, out var found) && !found.Deleted ? found : null);
                if (to is null || ReferenceEquals(to, state))
                {
                    continue;
                }
                state.Ready.Remove(entry);
                state.Delayed.Remove(entry);
                if (entry.ExpiresAt is not null)
                {
                    state.Expiring.Remove(entry);
                }
                entry.State = EntryState.Busy;
                moves.Add((entry, to));
            }
        }
        if (moves.Count == 0)
        {
            return 0;
        }
        var now = Now();
        try
        {
            await _database.Writer.ExecuteAsync(ctx =>
            {
                foreach (var name in moves.Select(m => m.To.Name).Distinct())
                {
                    EnsureQueueRow(ctx, name);
                }
                var newSeqs = new long[moves.Count];
                var expiries = new long?[moves.Count];
                for (var i = 0; i < moves.Count; i++)
                {
                    var (entry, to) = moves[i];
                    newSeqs[i] = ++_seq;
                    expiries[i] = to.Settings.RetentionSeconds is { } retention ? now + retention * 1000L : null;
                    var update = ctx.Command("""
                        UPDATE broker_messages
                        SET seq = $new, queue = $queue, delivery_count = 0, source_queue = NULL, available_at = $now, expires_at = $expires
                        WHERE seq = $old
                        """);
                    update.Parameters.AddWithValue("$new", newSeqs[i]);
                    update.Parameters.AddWithValue("$queue", to.Name);
                    update.Parameters.AddWithValue("$now", now);
                    update.Parameters.AddWithValue("$expires", (object?)expiries[i] ?? DBNull.Value);
                    update.Parameters.AddWithValue("$old", entry.Seq);
                    update.ExecuteNonQuery();
                }
                ctx.OnCommitted(() =>
                {
                    var arrived = new List<(MessageEntry, QueueState)>(moves.Count);
                    lock (state.Gate)
                    {
                        for (var i = 0; i < moves.Count; i++)
                        {
                            var entry = moves[i].Entry;
                            if (state.Entries.TryGetValue(entry.Id, out var known) && ReferenceEquals(known, entry))
                            {
                                state.Entries.Remove(entry.Id);
                                entry.Seq = newSeqs[i];
                                entry.ExpiresAt = expiries[i];
                                arrived.Add((entry, moves[i].To));
                            }
                        }
                    }
                    foreach (var group in arrived.GroupBy(a => a.Item2))
                    {
                        lock (group.Key.Gate)
                        {
                            foreach (var (entry, _) in group)
                            {
                                entry.DeliveryCount = 0;
                                entry.SourceQueue = null;
                                entry.AvailableAt = now;
                                group.Key.Add(entry, now);
                            }
                            group.Key.Signal();
                        }
                    }
                });
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            lock (state.Gate)
            {
                foreach (var (entry, _) in moves)
                {
                    if (entry.State == EntryState.Busy && state.Entries.TryGetValue(entry.Id, out var known) && ReferenceEquals(known, entry))
                    {
                        if (entry.ExpiresAt is not null)
                        {
                            state.Expiring.Add(entry);
                        }
                        state.Enqueue(entry, now);
                    }
                }
            }
            throw;
        }
        return moves.Count;
    }

    public async Task<bool> DeleteMessageAsync(string queue, Guid id, CancellationToken cancellationToken = default)
    {
        var state = Find(queue);
        MessageEntry? entry;
        lock (state.Gate)
        {
            if (!state.Entries.TryGetValue(id, out entry))
            {
                return false;
            }
            // Forget it first: an in-flight copy can no longer be settled, and no receive hands it out meanwhile.
            state.Remove(entry);
            Uncache(entry);
            state.Signal();
        }
        await _database.Writer.ExecuteAsync(ctx => DeleteRow(ctx, entry.Seq), CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Releases claimed (busy) messages after a nack or an expired lease: back to ready (after a delay), to the
    /// dead-letter queue, or away. The delivery count and history are written here and only here.
    /// </summary>
    private async Task ReleaseAsync(QueueState state, List<MessageEntry> entries, string outcome, string? reason, TimeSpan delay, bool deadLetter)
    {
        var now = Now();
        var settings = state.Settings;
        var deadLetterQueue = settings.DeadLetterQueue is { } name && _queues.TryGetValue(name, out var found) && !found.Deleted ? found : null;
        long? deadLetterExpiry = deadLetterQueue?.Settings.RetentionSeconds is { } retention ? now + retention * 1000L : null;
        var plans = new List<ReleasePlan>(entries.Count);
        foreach (var entry in entries)
        {
            var history = new List<DeliveryRecord>(entry.History.Count + 1);
            history.AddRange(entry.History.Count >= MaxHistory ? entry.History.Skip(entry.History.Count - MaxHistory + 1) : entry.History);
            history.Add(new DeliveryRecord(entry.DeliveryCount, FromMs(entry.DeliveredAt), FromMs(now), outcome, reason));
            var exhausted = settings.MaxDeliveries > 0 && entry.DeliveryCount >= settings.MaxDeliveries;
            var expired = entry.ExpiresAt <= now;
            var action = expired || (deadLetter && deadLetterQueue is null) ? ReleaseAction.Delete
                : (deadLetter || exhausted) && deadLetterQueue is not null ? ReleaseAction.DeadLetter
                : ReleaseAction.Retry;
            if (deadLetter && deadLetterQueue is null && !expired)
            {
                LogRejectedDropped(_logger, state.Name, entry.Id);
            }
            plans.Add(new ReleasePlan(entry, history, action, now + (long)delay.TotalMilliseconds));
        }
        try
        {
            await _database.Writer.ExecuteAsync(ctx =>
            {
                foreach (var plan in plans)
                {
                    switch (plan.Action)
                    {
                        case ReleaseAction.Delete:
                            DeleteRow(ctx, plan.Entry.Seq);
                            break;
                        case ReleaseAction.DeadLetter:
                            var move = ctx.Command("""
                                UPDATE broker_messages
                                SET queue = $queue, source_queue = $source, delivery_count = $count, history = $history,
                                    available_at = $now, expires_at = $expires
                                WHERE seq = $seq
                                """);
                            move.Parameters.AddWithValue("$queue", deadLetterQueue!.Name);
                            move.Parameters.AddWithValue("$source", state.Name);
                            move.Parameters.AddWithValue("$count", plan.Entry.DeliveryCount);
                            move.Parameters.AddWithValue("$history", JsonSerializer.Serialize(plan.History, Json));
                            move.Parameters.AddWithValue("$now", now);
                            move.Parameters.AddWithValue("$expires", (object?)deadLetterExpiry ?? DBNull.Value);
                            move.Parameters.AddWithValue("$seq", plan.Entry.Seq);
                            move.ExecuteNonQuery();
                            break;
                        default:
                            var retry = ctx.Command("UPDATE broker_messages SET delivery_count = $count, history = $history, available_at = $at WHERE seq = $seq");
                            retry.Parameters.AddWithValue("$count", plan.Entry.DeliveryCount);
                            retry.Parameters.AddWithValue("$history", JsonSerializer.Serialize(plan.History, Json));
                            retry.Parameters.AddWithValue("$at", plan.AvailableAt);
                            retry.Parameters.AddWithValue("$seq", plan.Entry.Seq);
                            retry.ExecuteNonQuery();
                            break;
                    }
                }
                ctx.OnCommitted(() => ApplyRelease(state, deadLetterQueue, deadLetterExpiry, plans, now));
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            Unclaim(state, entries);
            throw;
        }
    }

    private void ApplyRelease(QueueState state, QueueState? deadLetterQueue, long? deadLetterExpiry, List<ReleasePlan> plans, long now)
    {
        List<MessageEntry>? moved = null;
        lock (state.Gate)
        {
            foreach (var plan in plans)
            {
                var entry = plan.Entry;
                if (!state.Entries.TryGetValue(entry.Id, out var known) || !ReferenceEquals(known, entry))
                {
                    continue;
                }
                state.LeaveFlight(entry);
                entry.History = plan.History;
                switch (plan.Action)
                {
                    case ReleaseAction.Delete:
                        state.Remove(entry);
                        Uncache(entry);
                        break;
                    case ReleaseAction.DeadLetter:
                        state.Remove(entry);
                        (moved ??= []).Add(entry);
                        break;
                    default:
                        entry.AvailableAt = plan.AvailableAt;
                        state.Enqueue(entry, now);
                        break;
                }
            }
            state.Signal();
        }
        if (_metrics is not null)
        {
            _metrics.Redelivered(state.Name, plans.Count(p => p.Action == ReleaseAction.Retry && p.History[^1].Outcome == "lease_expired"));
            _metrics.DeadLettered(state.Name, moved?.Count ?? 0);
        }
        if (moved is not null && deadLetterQueue is not null)
        {
            lock (deadLetterQueue.Gate)
            {
                foreach (var entry in moved)
                {
                    entry.SourceQueue = state.Name;
                    entry.AvailableAt = now;
                    entry.ExpiresAt = deadLetterExpiry;
                    deadLetterQueue.Add(entry, now);
                }
                deadLetterQueue.Signal();
            }
        }
    }

    /// <summary>Checks each lease against the current delivery and marks the valid ones busy.</summary>
    private (SettleResult[] Results, List<MessageEntry> Claimed) Claim(QueueState state, IReadOnlyList<LeaseToken> leases)
    {
        var now = Now();
        var results = new SettleResult[leases.Count];
        var claimed = new List<MessageEntry>(leases.Count);
        lock (state.Gate)
        {
            for (var i = 0; i < leases.Count; i++)
            {
                if (IsCurrent(state, leases[i], now, out var entry))
                {
                    entry.State = EntryState.Busy;
                    claimed.Add(entry);
                    results[i] = SettleResult.Ok(leases[i]);
                }
                else
                {
                    results[i] = SettleResult.Expired(leases[i]);
                }
            }
        }
        return (results, claimed);
    }

    private static void Unclaim(QueueState state, List<MessageEntry> claimed)
    {
        lock (state.Gate)
        {
            foreach (var entry in claimed)
            {
                if (entry.State == EntryState.Busy)
                {
                    // The write failed: the lease stands, and its expiry redelivers the message if nobody settles it.
                    entry.State = EntryState.InFlight;
                }
            }
        }
    }

    private static bool IsCurrent(QueueState state, LeaseToken lease, long now, out MessageEntry entry) =>
        state.Entries.TryGetValue(lease.MessageId, out entry!)
        && entry.State == EntryState.InFlight
        && entry.LeaseNonce == lease.Nonce
        && entry.DeliveryCount == lease.Delivery
        && entry.LeaseExpiresAt > now;

    private const int DeleteChunk = 64;
    private static readonly string DeleteChunkSql =
        $"DELETE FROM broker_messages WHERE seq IN ({string.Join(", ", Enumerable.Range(1, DeleteChunk).Select(i => "?" + i))})";

    /// <summary>Deletes many rows with few statements: an ack batch costs a handful of steps, not one per message.</summary>
    private static void DeleteRows(SqliteWriteContext ctx, IReadOnlyList<MessageEntry> entries)
    {
        var i = 0;
        for (; i + DeleteChunk <= entries.Count; i += DeleteChunk)
        {
            var delete = ctx.Statement(DeleteChunkSql);
            for (var j = 0; j < DeleteChunk; j++)
            {
                delete.Bind(j + 1, entries[i + j].Seq);
            }
            delete.Execute();
        }
        for (; i < entries.Count; i++)
        {
            DeleteRow(ctx, entries[i].Seq);
        }
    }

    private static void DeleteRow(SqliteWriteContext ctx, long seq)
    {
        var delete = ctx.Statement("DELETE FROM broker_messages WHERE seq = ?1");
        delete.Bind(1, seq);
        delete.Execute();
    }

    private static Guid? FindDuplicate(SqliteWriteContext ctx, string scope, string key, long now)
    {
        var query = ctx.Command("SELECT message_id FROM broker_dedup WHERE scope = $scope AND key = $key AND expires_at > $now");
        query.Parameters.AddWithValue("$scope", scope);
        query.Parameters.AddWithValue("$key", key);
        query.Parameters.AddWithValue("$now", now);
        return query.ExecuteScalar() is byte[] id ? new Guid(id) : null;
    }

    private static void RememberKey(SqliteWriteContext ctx, string scope, string key, Guid id, long expiresAt)
    {
        var insert = ctx.Command("INSERT OR REPLACE INTO broker_dedup (scope, key, message_id, expires_at) VALUES ($scope, $key, $id, $expires)");
        insert.Parameters.AddWithValue("$scope", scope);
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$id", id.ToByteArray());
        insert.Parameters.AddWithValue("$expires", expiresAt);
        insert.ExecuteNonQuery();
    }

    /// <summary>Room for <paramref name="count"/> more messages under maxLength, held until the commit is applied.</summary>
    private static void Reserve(Reservation reservation, QueueState state, int count)
    {
        if (count == 0)
        {
            return;
        }
        lock (state.Gate)
        {
            if (state.Settings.MaxLength is { } maxLength && state.Entries.Count + state.Pending + count > maxLength)
            {
                throw new SwitchboardException(ErrorCodes.QueueFull,
                    $"Queue '{state.Name}' holds {state.Entries.Count + state.Pending} of at most {maxLength} messages (maxLength); retry when consumers have caught up.");
            }
            state.Pending += count;
        }
        reservation.Held.Add((state, count));
    }

    private static void Unreserve(Reservation reservation)
    {
        if (reservation.Applied)
        {
            return;
        }
        foreach (var (state, count) in reservation.Held)
        {
            lock (state.Gate)
            {
                state.Pending -= count;
            }
        }
        reservation.Held.Clear();
    }

    private const string InsertSql = """
        INSERT INTO broker_messages (seq, id, queue, body, body_encoding, headers, priority, group_key, enqueued_at, available_at, expires_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
        """;

    private Staged Insert(SqliteWriteContext ctx, QueueState state, OutgoingMessage message, Guid id, long now)
    {
        var body = MemoryMarshal.TryGetArray(message.Body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : message.Body.ToArray();
        long? expires = message.TimeToLive is { } ttl ? now + (long)ttl.TotalMilliseconds : null;
        if (state.Settings.RetentionSeconds is { } retention)
        {
            expires = Math.Min(expires ?? long.MaxValue, now + retention * 1000L);
        }
        var seq = ++_seq;
        var available = now + (long)message.Delay.TotalMilliseconds;
        // Positional: $seq=1 $id=2 $queue=3 $body=4 $encoding=5 $headers=6 $priority=7 $group=8 $now=9 $available=10 $expires=11.
        var insert = ctx.Statement(InsertSql);
        Span<byte> idBytes = stackalloc byte[16];
        id.TryWriteBytes(idBytes);
        insert.Bind(1, seq);
        insert.Bind(2, idBytes);
        insert.Bind(3, state.Name);
        insert.Bind(4, body);
        insert.Bind(5, (long)message.Encoding);
        insert.Bind(6, WriteHeaders(message.Headers));
        insert.Bind(7, message.Priority);
        insert.Bind(8, message.GroupKey);
        insert.Bind(9, now);
        insert.Bind(10, available);
        insert.Bind(11, expires);
        insert.Execute();
        var entry = new MessageEntry
        {
            Id = id,
            Seq = seq,
            Priority = message.Priority,
            GroupKey = message.GroupKey,
            EnqueuedAt = now,
            AvailableAt = available,
            ExpiresAt = expires,
            Encoding = message.Encoding,
            Headers = message.Headers is { Count: > 0 } headers ? new Dictionary<string, string>(headers, StringComparer.Ordinal) : EmptyHeaders,
        };
        return new Staged(state, entry, body);
    }

    /// <summary>After the commit: the new messages join their queues and waiting receivers wake.</summary>
    private void Apply(Reservation reservation, List<Staged> staged, long now)
    {
        reservation.Applied = true;
        foreach (var group in staged.GroupBy(s => s.State))
        {
            var state = group.Key;
            lock (state.Gate)
            {
                state.Pending -= reservation.Held.Where(h => ReferenceEquals(h.State, state)).Sum(h => h.Count);
                if (state.Deleted)
                {
                    continue;
                }
                foreach (var item in group)
                {
                    Cache(item.Entry, item.Body);
                    state.Add(item.Entry, now);
                }
                state.Signal();
            }
        }
    }

    private async Task<Dictionary<Guid, ReadOnlyMemory<byte>>> LoadBodiesAsync(IEnumerable<MessageEntry> entries, CancellationToken cancellationToken)
    {
        var bodies = new Dictionary<Guid, ReadOnlyMemory<byte>>();
        var missing = new Dictionary<long, Guid>();
        foreach (var entry in entries)
        {
            if (entry.Body is { } body)
            {
                bodies[entry.Id] = body;
            }
            else
            {
                missing[entry.Seq] = entry.Id;
            }
        }
        if (missing.Count == 0)
        {
            return bodies;
        }
        await _database.ReadAsync(connection =>
        {
            foreach (var chunk in missing.Keys.Chunk(500))
            {
                using var query = connection.CreateCommand();
                query.CommandText = $"SELECT seq, body FROM broker_messages WHERE seq IN ({string.Join(',', chunk)})";
                using var reader = query.ExecuteReader();
                while (reader.Read())
                {
                    bodies[missing[reader.GetInt64(0)]] = (byte[])reader.GetValue(1);
                }
            }
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return bodies;
    }

    private static BrokerMessage ToMessage(MessageEntry entry, ReadOnlyMemory<byte> body, string? lease, DateTimeOffset? leaseExpiresAt, string state, int deliveryCount) =>
        new(entry.Id, body, entry.Encoding, entry.Headers, deliveryCount, FromMs(entry.EnqueuedAt), entry.Priority, entry.GroupKey,
            lease, leaseExpiresAt, state, state == BrokerMessage.Delayed ? FromMs(entry.AvailableAt) : null, entry.SourceQueue, entry.History);

    /// <summary>Room reserved under maxLength by one publish, given back if its commit never applies.</summary>
    private sealed class Reservation
    {
        public List<(QueueState State, int Count)> Held { get; } = [];

        public bool Applied { get; set; }
    }

    private sealed record Staged(QueueState State, MessageEntry Entry, byte[] Body);

    private enum ReleaseAction
    {
        Retry,
        DeadLetter,
        Delete,
    }

    private sealed record ReleasePlan(MessageEntry Entry, List<DeliveryRecord> History, ReleaseAction Action, long AvailableAt);
}
