using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Postgres.Broker;

internal sealed partial class PostgresBrokerStore
{
    private const string MessageColumns =
        "m.id, m.seq, m.body, m.body_encoding, m.headers, m.delivery_count, m.enqueued_at, m.priority, m.group_key, " +
        "m.lease_until, m.lease_nonce, m.source_queue, m.history, m.visible_at";

    // A long-poll normally wakes on NOTIFY; this re-check only covers a listener that is reconnecting.
    private static readonly TimeSpan SafetyRecheck = TimeSpan.FromSeconds(5);

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
                _notifications.Signal(queue);
                _notifications.Announce(queue);
                return ids.Select(id => new PublishResult(id, false)).ToArray();
            }
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var results = await PublishInTransactionAsync(connection, transaction, queue, messages, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (results.Any(r => !r.Duplicate))
        {
            _notifications.Signal(queue);
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

    public async Task<IReadOnlyList<BrokerMessage>> ReceiveAsync(string queue, int max, TimeSpan? lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            // Registered before looking, so a NOTIFY that lands between the look and the wait is not lost.
            var waiter = wait > TimeSpan.Zero ? _notifications.Register(queue) : null;
            try
            {
                var messages = await TryLeaseAsync(queue, max, lease, cancellationToken).ConfigureAwait(false);
                var remaining = wait - Stopwatch.GetElapsedTime(started);
                if (messages.Count > 0 || waiter is null || remaining <= TimeSpan.Zero)
                {
                    return messages;
                }
                await BrokerNotifications.WaitAsync(waiter, remaining < SafetyRecheck ? remaining : SafetyRecheck, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (waiter is not null)
                {
                    _notifications.Unregister(queue, waiter);
                }
            }
        }
    }

    public async Task<IReadOnlyList<SettleResult>> AckAsync(string queue, IReadOnlyList<LeaseToken> leases, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One statement for the whole batch; an ordered queue also wakes receivers everywhere, its next head is free.
        await using var command = new NpgsqlCommand($"""
            WITH acked AS (
                DELETE FROM broker_messages m
                USING unnest($2::uuid[], $3::int[], $4::bigint[]) AS t(id, delivery, nonce)
                WHERE m.id = t.id AND m.queue = $1 AND m.delivery_count = t.delivery AND m.lease_nonce = t.nonce AND m.lease_until > now()
                RETURNING m.id, m.delivery_count, m.lease_nonce)
            SELECT id, delivery_count, lease_nonce FROM acked
            UNION ALL
            SELECT NULL, NULL, NULL
            FROM broker_queues q, LATERAL (SELECT pg_notify('{BrokerNotifications.Channel}', q.name)) n
            WHERE q.name = $1 AND q.settings->>'ordering' <> 'none' AND EXISTS (SELECT 1 FROM acked)
            """, connection);
        command.Parameters.Add(Text(queue));
        AddLeaseParameters(command.Parameters, leases);
        var settled = await ReadSettledAsync(command, cancellationToken).ConfigureAwait(false);
        return await ToResultsAsync(connection, queue, leases, settled, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SettleResult>> NackAsync(string queue, IReadOnlyList<LeaseToken> leases, NackOptions options, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RequireQueueAsync(connection, transaction, queue, cancellationToken).ConfigureAwait(false);
        List<LeasedRow> rows;
        await using (var command = new NpgsqlCommand($"""
            SELECT {LeasedColumns}
            FROM broker_messages m
            JOIN unnest($2::uuid[], $3::int[], $4::bigint[]) AS t(id, delivery, nonce)
              ON m.id = t.id AND m.delivery_count = t.delivery AND m.lease_nonce = t.nonce
            WHERE m.queue = $1 AND m.lease_until > now()
            FOR UPDATE OF m
            """, connection, transaction))
        {
            command.Parameters.Add(Text(queue));
            AddLeaseParameters(command.Parameters, leases);
            rows = await ReadLeasedAsync(command, cancellationToken).ConfigureAwait(false);
        }
        var results = new SettleResult[leases.Count];
        var released = new List<LeasedRow>(rows.Count);
        for (var i = 0; i < leases.Count; i++)
        {
            var index = rows.FindIndex(r => r.Id == leases[i].MessageId && r.Nonce == unchecked((long)leases[i].Nonce) && r.DeliveryCount == leases[i].Delivery);
            if (index >= 0)
            {
                released.Add(rows[index]);
                rows.RemoveAt(index);
                results[i] = SettleResult.Ok(leases[i]);
            }
            else
            {
                results[i] = SettleResult.Expired(leases[i]);
            }
        }
        if (released.Count > 0)
        {
            var outcome = options.DeadLetter ? "rejected" : "nack";
            var woken = await ReleaseAsync(connection, transaction, released, outcome, options.Reason, options.Delay, options.DeadLetter, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _notifications.Signal(woken);
        }
        return results;
    }

    public async Task<IReadOnlyList<SettleResult>> ExtendAsync(string queue, IReadOnlyList<LeaseToken> leases, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            UPDATE broker_messages m SET lease_until = now() + $5
            FROM unnest($2::uuid[], $3::int[], $4::bigint[]) AS t(id, delivery, nonce)
            WHERE m.id = t.id AND m.queue = $1 AND m.delivery_count = t.delivery AND m.lease_nonce = t.nonce AND m.lease_until > now()
            RETURNING m.id, m.delivery_count, m.lease_nonce, m.lease_until
            """, connection);
        command.Parameters.Add(Text(queue));
        AddLeaseParameters(command.Parameters, leases);
        command.Parameters.Add(Interval(lease));
        var settled = await ReadSettledAsync(command, cancellationToken).ConfigureAwait(false);
        return await ToResultsAsync(connection, queue, leases, settled, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BrokerMessage>> PeekAsync(string queue, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<BrokerMessage>();
        await using (var command = new NpgsqlCommand($"""
            SELECT {MessageColumns},
                   CASE WHEN m.lease_until >= now() THEN '{BrokerMessage.InFlight}'
                        WHEN m.visible_at > now() THEN '{BrokerMessage.Delayed}'
                        ELSE '{BrokerMessage.Ready}' END
            FROM broker_messages m WHERE m.queue = $1 ORDER BY m.seq LIMIT $2
            """, connection))
        {
            command.Parameters.Add(Text(queue));
            command.Parameters.Add(Int(limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var state = reader.GetString(14);
                messages.Add(ReadMessage(reader, null, state));
            }
        }
        if (messages.Count == 0)
        {
            await RequireQueueAsync(connection, null, queue, cancellationToken).ConfigureAwait(false);
        }
        return messages;
    }

    public async Task<int> RedriveAsync(string queue, IReadOnlyCollection<Guid>? ids, string? target, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RequireQueueAsync(connection, transaction, queue, cancellationToken).ConfigureAwait(false);
        if (target is not null)
        {
            await RequireQueueAsync(connection, transaction, target, cancellationToken).ConfigureAwait(false);
        }
        // Moved messages keep their relative order: new sequence numbers are drawn in the old order.
        var moved = new List<string>();
        await using (var command = new NpgsqlCommand("""
            WITH picked AS (
                SELECT m.id, t.name AS target, t.settings
                FROM broker_messages m
                JOIN broker_queues t ON t.name = coalesce($3, m.source_queue)
                WHERE m.queue = $1 AND (m.lease_until IS NULL OR m.lease_until < now())
                  AND ($2::uuid[] IS NULL OR m.id = ANY($2)) AND t.name <> $1
                ORDER BY m.seq
                FOR UPDATE OF m SKIP LOCKED),
            numbered AS (SELECT id, target, settings, nextval('broker_messages_seq') AS seq FROM picked)
            UPDATE broker_messages m SET
                queue = n.target, seq = n.seq, delivery_count = 0, source_queue = NULL, visible_at = now(),
                expires_at = now() + (n.settings->>'retentionSeconds')::int * interval '1 second',
                leased_at = NULL, lease_until = NULL, lease_nonce = NULL
            FROM numbered n WHERE m.id = n.id
            RETURNING n.target
            """, connection, transaction))
        {
            command.Parameters.Add(Text(queue));
            command.Parameters.Add(new NpgsqlParameter { Value = ids is null ? DBNull.Value : ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)target ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                moved.Add(reader.GetString(0));
            }
        }
        var targets = moved.Distinct(StringComparer.Ordinal).ToArray();
        await NotifyAsync(connection, transaction, targets, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _notifications.Signal(targets);
        return moved.Count;
    }

    public async Task<bool> DeleteMessageAsync(string queue, Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RequireQueueAsync(connection, transaction, queue, cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("DELETE FROM broker_messages WHERE queue = $1 AND id = $2", connection, transaction))
        {
            command.Parameters.Add(Text(queue));
            command.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }
        // The message may have been the in-flight head of an ordered queue.
        await NotifyAsync(connection, transaction, [queue], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _notifications.Signal(queue);
        return true;
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> messages in one statement. A message whose lease ran out is taken over
    /// directly (its expired delivery recorded in the history) unless it has used up maxDeliveries: those wait for
    /// the sweeper, which moves them to the dead-letter queue.
    /// </summary>
    private async Task<IReadOnlyList<BrokerMessage>> TryLeaseAsync(string queue, int max, TimeSpan? lease, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var settings = (await RequireQueueAsync(connection, null, queue, cancellationToken).ConfigureAwait(false)).Settings;
        var ordering = settings.Ordering;
        await using var batch = new NpgsqlBatch(connection);
        // A lease need not survive a crash of PostgreSQL (DESIGN §9): lost, the message is simply delivered again, as
        // after a restart of the embedded engine. So the lease's commit does not wait for its WAL flush. An ack can
        // never outlive its lease: the ack's own flush writes out every earlier WAL record, the lease's included.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT set_config('synchronous_commit', 'off', true), {IndexPlansOnly}"));
        if (ordering != QueueOrdering.None)
        {
            // Ordered queues take turns per queue (on every node), so two receivers never both see "nothing in
            // flight" and take two heads. The lease statement runs after the lock, with a snapshot that sees the
            // previous holder's lease. Both run in the batch's one implicit transaction, which frees the lock.
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))");
            lockCommand.Parameters.Add(Int(QueueLockClass));
            lockCommand.Parameters.Add(Text(queue));
            batch.BatchCommands.Add(lockCommand);
        }
        var leaseCommand = new NpgsqlBatchCommand(LeaseSql(ordering));
        leaseCommand.Parameters.Add(Text(queue));
        leaseCommand.Parameters.Add(Int(ordering == QueueOrdering.Fifo ? 1 : max));
        leaseCommand.Parameters.Add(Int(settings.MaxDeliveries));
        leaseCommand.Parameters.Add(Interval(lease ?? TimeSpan.FromSeconds(settings.LeaseSeconds)));
        batch.BatchCommands.Add(leaseCommand);
        var leased = new List<(long Seq, int Priority, BrokerMessage Message)>();
        var redelivered = 0;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var skipped = ordering == QueueOrdering.None ? 1 : 2; skipped > 0; skipped--)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var token = new LeaseToken(reader.GetGuid(0), reader.GetInt32(5), unchecked((ulong)reader.GetInt64(10)));
                leased.Add((reader.GetInt64(1), reader.GetInt16(7), ReadMessage(reader, token, BrokerMessage.InFlight)));
                redelivered += reader.GetBoolean(14) ? 1 : 0;
            }
        }
        _metrics?.Redelivered(queue, redelivered);
        // RETURNING follows no order; hand the messages out in the queue's.
        var ordered = ordering == QueueOrdering.None
            ? leased.OrderByDescending(l => l.Priority).ThenBy(l => l.Seq)
            : leased.OrderBy(l => l.Seq);
        return ordered.Select(l => l.Message).ToArray();
    }

    /// <summary>The lease statement: $1 queue, $2 limit, $3 maxDeliveries (0 = unlimited), $4 lease time.</summary>
    private static string LeaseSql(QueueOrdering ordering)
    {
        var pick = ordering switch
        {
            // Only the head, and only while nothing of the queue is in flight.
            QueueOrdering.Fifo => $"""
                SELECT m.id, m.lease_until IS NOT NULL AS expired FROM broker_messages m
                WHERE m.queue = $1 AND {Takeable("m")}
                  AND NOT EXISTS (SELECT 1 FROM broker_messages f WHERE f.queue = $1 AND f.lease_until >= now())
                ORDER BY m.seq LIMIT $2
                FOR UPDATE SKIP LOCKED
                """,
            // Per group only its head, and only while nothing of the group is in flight; ungrouped messages flow.
            QueueOrdering.FifoByGroup => $"""
                SELECT m.id, m.lease_until IS NOT NULL AS expired FROM broker_messages m
                WHERE m.queue = $1 AND {Takeable("m")}
                  AND (m.group_key IS NULL OR (
                      NOT EXISTS (SELECT 1 FROM broker_messages f WHERE f.queue = $1 AND f.group_key = m.group_key AND f.lease_until >= now())
                      AND NOT EXISTS (SELECT 1 FROM broker_messages e WHERE e.queue = $1 AND e.group_key = m.group_key AND e.seq < m.seq AND {Takeable("e")})))
                ORDER BY m.seq LIMIT $2
                FOR UPDATE SKIP LOCKED
                """,
            // Fresh messages from the index of never-leased ones, expired leases from the lease index; the best of both.
            _ => $"""
                WITH fresh AS (
                    SELECT m.id, false AS expired, m.priority, m.seq FROM broker_messages m
                    WHERE m.queue = $1 AND m.lease_until IS NULL AND {Visible("m")}
                    ORDER BY m.priority DESC, m.seq LIMIT $2
                    FOR UPDATE SKIP LOCKED),
                lapsed AS (
                    SELECT m.id, true AS expired, m.priority, m.seq FROM broker_messages m
                    WHERE m.lease_until < now() AND m.queue = $1 AND ($3 = 0 OR m.delivery_count < $3) AND {Visible("m")}
                    ORDER BY m.lease_until LIMIT $2
                    FOR UPDATE SKIP LOCKED)
                SELECT c.id, c.expired FROM (SELECT * FROM fresh UNION ALL SELECT * FROM lapsed) c
                ORDER BY c.priority DESC, c.seq LIMIT $2
                """,
        };
        // The nonce: 64 bits of an md5 over a random UUID (gen_random_uuid draws from the strong random source).
        return $$"""
            WITH picked AS ({{pick}})
            UPDATE broker_messages m SET
                history = CASE WHEN m.lease_until IS NULL THEN m.history ELSE {{AppendHistory("m", "m.lease_until", "'lease_expired'", "NULL")}} END,
                delivery_count = m.delivery_count + 1,
                leased_at = now(),
                lease_until = now() + $4,
                lease_nonce = ('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint
            FROM picked WHERE m.id = picked.id
            RETURNING {{MessageColumns}}, picked.expired
            """;
    }

    /// <summary>Visible, not expired, and either never leased or leased out with deliveries to spare.</summary>
    private static string Takeable(string m) => $"""
        {Visible(m)}
        AND ({m}.lease_until IS NULL OR ({m}.lease_until < now() AND ($3 = 0 OR {m}.delivery_count < $3)))
        """;

    /// <summary>Due and not expired.</summary>
    private static string Visible(string m) => $"{m}.visible_at <= now() AND ({m}.expires_at IS NULL OR {m}.expires_at > now())";

    /// <summary>The row's history with one delivery record appended, keeping the newest <see cref="MaxHistory"/>.</summary>
    private static string AppendHistory(string m, string settledAt, string outcome, string reason) => $"""
        (CASE WHEN jsonb_array_length({m}.history) >= {MaxHistory} THEN {m}.history - 0 ELSE {m}.history END)
        || jsonb_build_array(jsonb_build_object('delivery', {m}.delivery_count, 'deliveredAt', {m}.leased_at,
                                                'settledAt', {settledAt}, 'outcome', {outcome}, 'reason', {reason}))
        """;

    private static void AddLeaseParameters(NpgsqlParameterCollection parameters, IReadOnlyList<LeaseToken> leases)
    {
        parameters.Add(Array(leases.Select(l => l.MessageId).ToArray(), NpgsqlDbType.Uuid));
        parameters.Add(Array(leases.Select(l => l.Delivery).ToArray(), NpgsqlDbType.Integer));
        parameters.Add(Array(leases.Select(l => unchecked((long)l.Nonce)).ToArray(), NpgsqlDbType.Bigint));
    }

    /// <summary>Reads (id, delivery, nonce[, lease_until]) rows of settled leases; rows of NULLs are skipped.</summary>
    private static async Task<Dictionary<LeaseToken, DateTimeOffset?>> ReadSettledAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var settled = new Dictionary<LeaseToken, DateTimeOffset?>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.IsDBNull(0))
            {
                continue;
            }
            var token = new LeaseToken(reader.GetGuid(0), reader.GetInt32(1), unchecked((ulong)reader.GetInt64(2)));
            settled[token] = reader.FieldCount > 3 ? reader.GetFieldValue<DateTimeOffset>(3) : null;
        }
        return settled;
    }

    /// <summary>One result per lease, in order; a lease repeated in the batch succeeds once.</summary>
    private static async Task<IReadOnlyList<SettleResult>> ToResultsAsync(NpgsqlConnection connection, string queue, IReadOnlyList<LeaseToken> leases,
        Dictionary<LeaseToken, DateTimeOffset?> settled, CancellationToken cancellationToken)
    {
        var results = new SettleResult[leases.Count];
        var failed = false;
        for (var i = 0; i < leases.Count; i++)
        {
            if (settled.Remove(leases[i], out var expiresAt))
            {
                results[i] = SettleResult.Ok(leases[i], expiresAt);
            }
            else
            {
                results[i] = SettleResult.Expired(leases[i]);
                failed = true;
            }
        }
        if (failed)
        {
            // Only a miss pays for telling an unknown queue from a stale lease.
            await RequireQueueAsync(connection, null, queue, cancellationToken).ConfigureAwait(false);
        }
        return results;
    }

    private static BrokerMessage ReadMessage(NpgsqlDataReader reader, LeaseToken? lease, string state)
    {
        var history = reader.GetString(12);
        var visibleAt = reader.GetFieldValue<DateTimeOffset>(13);
        return new BrokerMessage(
            reader.GetGuid(0),
            reader.GetFieldValue<byte[]>(2),
            (BodyEncoding)reader.GetInt16(3),
            ReadHeaders(reader.IsDBNull(4) ? null : reader.GetString(4)),
            reader.GetInt32(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetInt16(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            lease?.ToString(),
            state == BrokerMessage.InFlight && !reader.IsDBNull(9) ? reader.GetFieldValue<DateTimeOffset>(9) : null,
            state,
            state == BrokerMessage.Delayed ? visibleAt : null,
            reader.IsDBNull(11) ? null : reader.GetString(11),
            ReadHistory(history));
    }

    private static List<DeliveryRecord> ReadHistory(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize<List<DeliveryRecord>>(json, Json) ?? [];

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
