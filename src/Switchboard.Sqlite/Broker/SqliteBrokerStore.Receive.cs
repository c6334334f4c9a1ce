using Switchboard.Broker;

namespace Switchboard.Sqlite.Broker;

internal sealed partial class SqliteBrokerStore
{
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
}
