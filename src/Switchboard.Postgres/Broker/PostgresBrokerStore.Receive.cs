using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Switchboard.Broker;

namespace Switchboard.Postgres.Broker;

internal sealed partial class PostgresBrokerStore
{
    private const string MessageColumns =
        "m.id, m.seq, m.body, m.body_encoding, m.headers, m.delivery_count, m.enqueued_at, m.priority, m.group_key, " +
        "m.lease_until, m.lease_nonce, m.source_queue, m.history, m.visible_at";

    // A long-poll normally wakes on NOTIFY; this re-check only covers a listener that is reconnecting.
    private static readonly TimeSpan SafetyRecheck = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<BrokerMessage>> ReceiveAsync(string queue, int max, TimeSpan? lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            // Registered before looking, so a NOTIFY that lands between the look and the wait is not lost.
            var waiter = wait > TimeSpan.Zero ? _listener.Register(queue) : null;
            try
            {
                var messages = await TryLeaseAsync(queue, max, lease, cancellationToken).ConfigureAwait(false);
                var remaining = wait - Stopwatch.GetElapsedTime(started);
                if (messages.Count > 0 || waiter is null || remaining <= TimeSpan.Zero)
                {
                    return messages;
                }
                await NodeListener.WaitAsync(waiter, remaining < SafetyRecheck ? remaining : SafetyRecheck, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (waiter is not null)
                {
                    _listener.Unregister(queue, waiter);
                }
            }
        }
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
}
