using System.Text.Json;
using Switchboard.Broker;

namespace Switchboard.Sqlite.Broker;

internal sealed partial class SqliteBrokerStore
{
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

    private enum ReleaseAction
    {
        Retry,
        DeadLetter,
        Delete,
    }

    private sealed record ReleasePlan(MessageEntry Entry, List<DeliveryRecord> History, ReleaseAction Action, long AvailableAt);
}
