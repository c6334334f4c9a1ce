using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Postgres.Broker;

internal sealed partial class PostgresBrokerStore
{
    private static readonly string InsertSql = $"""
        INSERT INTO broker_messages (id, queue, body, body_encoding, headers, priority, group_key, enqueued_at, visible_at, expires_at)
        SELECT u.id, q.name, u.body, u.encoding, u.headers::jsonb, u.priority, u.group_key, now(),
               now() + u.delay_ms * interval '1 millisecond',
               LEAST(now() + u.ttl_ms * interval '1 millisecond', now() + (q.settings->>'retentionSeconds')::int * interval '1 second')
        FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::smallint[], $5::text[], $6::smallint[], $7::text[], $8::bigint[], $9::bigint[])
             WITH ORDINALITY AS u(id, queue, body, encoding, headers, priority, group_key, delay_ms, ttl_ms, ord)
        JOIN broker_queues q ON q.name = u.queue
        """;

    public async Task<IReadOnlyList<PublishResult>> PublishAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        try
        {
            return await PublishCoreAsync(queue, messages, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // The queue was deleted between reading it and inserting into it.
            throw QueueNotFound(queue);
        }
    }

    private async Task<IReadOnlyList<PublishResult>> PublishCoreAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (messages.All(m => m.IdempotencyKey is null))
        {
            // The usual case is one statement, one round trip; the other nodes hear of it right after the commit. A
            // queue with a maxLength (or none at all) inserts nothing here and takes the locked path below.
            var ids = messages.Select(_ => Guid.CreateVersion7()).ToArray();
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(InsertCommand(messages.Select((m, i) => new Copy(queue, ids[i], m)).ToArray(), unboundedOnly: true));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (batch.BatchCommands[0].RecordsAffected == messages.Count)
            {
                _listener.Signal(queue);
                _listener.Announce(queue);
                return ids.Select(id => new PublishResult(id, false)).ToArray();
            }
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var results = await PublishInTransactionAsync(connection, transaction, queue, messages, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (results.Any(r => !r.Duplicate))
        {
            _listener.Signal(queue);
        }
        return results;
    }

    /// <summary>
    /// Publishes <paramref name="entries"/> inside another store's transaction (the transactional outbox): durable with
    /// its commit, gone with its rollback. The NOTIFY it queues fires at commit and wakes receivers on every node.
    /// </summary>
    internal async Task PublishWithinAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var group in entries.GroupBy(e => (e.Target, e.Subject)))
        {
            var messages = group.Select(e => e.Message).ToArray();
            if (group.Key.Subject is { } subject)
            {
                await PublishToTopicInTransactionAsync(connection, transaction, group.Key.Target, subject, messages, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PublishInTransactionAsync(connection, transaction, group.Key.Target, messages, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<PublishResult[]> PublishInTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string queue,
        IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        var settings = (await RequireQueueAsync(connection, transaction, queue, cancellationToken).ConfigureAwait(false)).Settings;
        var results = await DeduplicateAsync(connection, transaction, queue, messages,
            settings.DedupWindowSeconds > 0 ? TimeSpan.FromSeconds(settings.DedupWindowSeconds) : null, cancellationToken).ConfigureAwait(false);
        var fresh = new List<Copy>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (!results[i].Duplicate)
            {
                fresh.Add(new Copy(queue, results[i].Id, messages[i]));
            }
        }
        if (fresh.Count > 0)
        {
            await ReserveAsync(connection, transaction, [(queue, fresh.Count)], cancellationToken).ConfigureAwait(false);
            if ((await InsertAsync(connection, transaction, fresh, cancellationToken).ConfigureAwait(false)).Count != fresh.Count)
            {
                throw QueueNotFound(queue);
            }
            await NotifyAsync(connection, transaction, [queue], cancellationToken).ConfigureAwait(false);
        }
        return results;
    }

    /// <summary>
    /// Makes room for new messages in queues with a maxLength: locks each such queue's row (so publishers of
    /// one bounded queue take turns on every node) and counts what it holds. Throws <see cref="ErrorCodes.QueueFull"/>.
    /// </summary>
    private static async Task ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(string Queue, int Count)> additions, CancellationToken cancellationToken)
    {
        foreach (var (queue, count) in additions.OrderBy(a => a.Queue, StringComparer.Ordinal))
        {
            await using var command = new NpgsqlCommand("""
                SELECT (q.settings->>'maxLength')::int, (SELECT c.depth FROM broker_queue_counts(q.name) c)
                FROM broker_queues q WHERE q.name = $1 AND q.settings->>'maxLength' IS NOT NULL
                FOR NO KEY UPDATE OF q
                """, connection, transaction);
            command.Parameters.Add(Text(queue));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            var (maxLength, held) = (reader.GetInt32(0), reader.GetInt64(1));
            if (held + count > maxLength)
            {
                throw new SwitchboardException(ErrorCodes.QueueFull,
                    $"Queue '{queue}' holds {held} of at most {maxLength} messages (maxLength); retry when consumers have caught up.");
            }
        }
    }

    /// <summary>Inserts the copies; returns the ids inserted (a copy for a queue deleted meanwhile is not).</summary>
    private static async Task<HashSet<Guid>> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Copy> copies, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(InsertCommand(copies, unboundedOnly: false));
        var inserted = new HashSet<Guid>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            inserted.Add(reader.GetGuid(0));
        }
        return inserted;
    }

    /// <summary>All copies in one multi-row INSERT over unnested arrays, in order; retention comes from each queue's row.</summary>
    private static NpgsqlBatchCommand InsertCommand(IReadOnlyList<Copy> copies, bool unboundedOnly)
    {
        var command = new NpgsqlBatchCommand(InsertSql + (unboundedOnly ? " WHERE q.settings->>'maxLength' IS NULL" : "") + " ORDER BY u.ord RETURNING id");
        var p = command.Parameters;
        p.Add(Array(copies.Select(c => c.Id).ToArray(), NpgsqlDbType.Uuid));
        p.Add(Array(copies.Select(c => c.Queue).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(copies.Select(c => BodyArray(c.Message.Body)).ToArray(), NpgsqlDbType.Bytea));
        p.Add(Array(copies.Select(c => (short)c.Message.Encoding).ToArray(), NpgsqlDbType.Smallint));
        p.Add(Array(copies.Select(c => WriteHeaders(c.Message.Headers)).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(copies.Select(c => (short)c.Message.Priority).ToArray(), NpgsqlDbType.Smallint));
        p.Add(Array(copies.Select(c => c.Message.GroupKey).ToArray(), NpgsqlDbType.Text));
        p.Add(Array(copies.Select(c => (long)c.Message.Delay.TotalMilliseconds).ToArray(), NpgsqlDbType.Bigint));
        p.Add(Array(copies.Select(c => c.Message.TimeToLive is { } ttl ? (long?)ttl.TotalMilliseconds : null).ToArray(), NpgsqlDbType.Bigint));
        return command;
    }

    /// <summary>The body's own array when it is exactly one, so a body is not copied on its way to the wire.</summary>
    private static byte[] BodyArray(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.ToArray();

    /// <summary>
    /// Resolves idempotency keys within <paramref name="scope"/>: a key seen within the window (committed by any
    /// node, or earlier in this batch) gives the original id; a new key is claimed for a new id in this transaction.
    /// With no window, every message is new.
    /// </summary>
    private static async Task<PublishResult[]> DeduplicateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string scope,
        IReadOnlyList<OutgoingMessage> messages, TimeSpan? window, CancellationToken cancellationToken)
    {
        var results = new PublishResult[messages.Count];
        var firstByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            results[i] = new PublishResult(Guid.CreateVersion7(), false);
            if (window is not null && messages[i].IdempotencyKey is { } key)
            {
                firstByKey.TryAdd(key, i);
            }
        }
        if (firstByKey.Count == 0)
        {
            return results;
        }
        var pending = firstByKey.ToDictionary(k => k.Key, k => results[k.Value].Id, StringComparer.Ordinal);
        var resolved = new Dictionary<string, (Guid Id, bool Duplicate)>(StringComparer.Ordinal);
        // A key that is neither claimable nor readable expired between the two statements: claim it again.
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt == 5)
            {
                throw new SwitchboardException(ErrorCodes.Unavailable, "Idempotency keys kept changing under this publish; retry it.");
            }
            await using (var claim = new NpgsqlCommand("""
                INSERT INTO broker_dedup AS d (scope, key, message_id, expires_at)
                SELECT $1, k.key, k.id, now() + $4 FROM unnest($2::text[], $3::uuid[]) AS k(key, id)
                ON CONFLICT (scope, key) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at
                WHERE d.expires_at <= now()
                RETURNING key
                """, connection, transaction))
            {
                claim.Parameters.Add(Text(scope));
                claim.Parameters.Add(Array(pending.Keys.ToArray(), NpgsqlDbType.Text));
                claim.Parameters.Add(Array(pending.Values.ToArray(), NpgsqlDbType.Uuid));
                claim.Parameters.Add(Interval(window!.Value));
                await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var key = reader.GetString(0);
                    resolved[key] = (pending[key], false);
                    pending.Remove(key);
                }
            }
            if (pending.Count == 0)
            {
                break;
            }
            // A separate statement: its snapshot sees a key another publisher committed while the claim waited on it.
            await using var lookup = new NpgsqlCommand("SELECT key, message_id FROM broker_dedup WHERE scope = $1 AND key = ANY($2) AND expires_at > now()", connection, transaction);
            lookup.Parameters.Add(Text(scope));
            lookup.Parameters.Add(Array(pending.Keys.ToArray(), NpgsqlDbType.Text));
            await using var found = await lookup.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await found.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = found.GetString(0);
                resolved[key] = (found.GetGuid(1), true);
                pending.Remove(key);
            }
        }
        for (var i = 0; i < messages.Count; i++)
        {
            if (window is null || messages[i].IdempotencyKey is not { } key)
            {
                continue;
            }
            var (id, duplicate) = resolved[key];
            // Later messages of the batch with the same key repeat the first one.
            results[i] = new PublishResult(id, duplicate || firstByKey[key] != i);
        }
        return results;
    }

    /// <summary>One message to insert into one queue.</summary>
    private sealed record Copy(string Queue, Guid Id, OutgoingMessage Message);
}
