using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Postgres.Broker;

internal sealed partial class PostgresBrokerStore
{
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
        _listener.Signal(targets);
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
        _listener.Signal(queue);
        return true;
    }
}
