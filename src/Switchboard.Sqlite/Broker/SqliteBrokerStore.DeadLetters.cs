
namespace Switchboard.Sqlite.Broker;

internal sealed partial class SqliteBrokerStore
{
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
}
