using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;

namespace Switchboard.Postgres.Broker;

internal sealed partial class PostgresBrokerStore
{
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
            FROM broker_queues q, LATERAL (SELECT pg_notify('{NodeListener.Channel}', q.name)) n
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
            _listener.Signal(woken);
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
}
