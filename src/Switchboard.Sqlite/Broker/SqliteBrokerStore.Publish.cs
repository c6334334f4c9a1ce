using System.Runtime.InteropServices;
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

    /// <summary>Room reserved under maxLength by one publish, given back if its commit never applies.</summary>
    private sealed class Reservation
    {
        public List<(QueueState State, int Count)> Held { get; } = [];

        public bool Applied { get; set; }
    }

    private sealed record Staged(QueueState State, MessageEntry Entry, byte[] Body);
}
