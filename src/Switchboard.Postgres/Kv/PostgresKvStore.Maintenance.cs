using Npgsql;
using NpgsqlTypes;
using Switchboard.Kv;

namespace Switchboard.Postgres.Kv;

internal sealed partial class PostgresKvStore
{
    public async Task<int> SweepExpiredAsync(DateTimeOffset now, int maxEntries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var buckets = new List<string>();
        await using (var find = new NpgsqlCommand("SELECT DISTINCT bucket FROM kv_entries WHERE expires_at <= $1 ORDER BY bucket", connection))
        {
            find.Parameters.Add(Time(now));
            await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                buckets.Add(reader.GetString(0));
            }
        }

        var total = 0;
        foreach (var bucket in buckets)
        {
            if (total >= maxEntries)
            {
                break;
            }
            // Bucket row first, like every writer, so a sweep and a put of the same key cannot deadlock.
            // Whichever node sweeps a bucket second finds the entries gone: each expiration is counted once.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("SELECT 1 FROM kv_buckets WHERE name = $1 FOR UPDATE") { Parameters = { Text(bucket) } },
                    new NpgsqlBatchCommand("""
                        WITH gone AS (
                            DELETE FROM kv_entries
                            WHERE bucket = $1 AND key IN (
                                SELECT key FROM kv_entries WHERE bucket = $1 AND expires_at <= $2 LIMIT $3)
                            RETURNING size
                        ), totals AS (
                            SELECT count(*) AS keys, coalesce(sum(size), 0) AS bytes FROM gone
                        )
                        UPDATE kv_buckets SET keys = kv_buckets.keys - totals.keys, bytes = kv_buckets.bytes - totals.bytes,
                            expirations = kv_buckets.expirations + totals.keys
                        FROM totals
                        WHERE name = $1
                        RETURNING totals.keys
                        """)
                    {
                        Parameters = { Text(bucket), Time(now), Param(maxEntries - total, NpgsqlDbType.Integer) },
                    },
                },
            };
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    total += (int)reader.GetInt64(0);
                }
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return total;
    }

    public async Task AddReadCountsAsync(IReadOnlyList<KvReadCounts> counts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        // In name order (the caller sorts), so nodes storing counts at the same time lock rows in the same order.
        foreach (var count in counts)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE kv_buckets SET hits = hits + $2, misses = misses + $3 WHERE name = $1")
            {
                Parameters = { Text(count.Bucket), Param(count.Hits, NpgsqlDbType.Bigint), Param(count.Misses, NpgsqlDbType.Bigint) },
            });
        }
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
