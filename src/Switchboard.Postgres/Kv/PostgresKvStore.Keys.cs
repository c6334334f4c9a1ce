using Npgsql;
using NpgsqlTypes;
using Switchboard.Kv;

namespace Switchboard.Postgres.Kv;

internal sealed partial class PostgresKvStore
{
    public async Task<KvWriteResult> PutAsync(KvPut put, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var locked = await LockAsync(connection, transaction, put.Bucket, put.Key, cancellationToken).ConfigureAwait(false);
        if (locked is not { } state)
        {
            return KvWriteResult.NoBucket;
        }
        if (state.MaxValueBytes is { } max && put.Value.Length > max)
        {
            return new KvWriteResult(KvWriteStatus.TooLarge, Limit: max);
        }
        var expired = state.Entry is { } stored && stored.ExpiresAt <= now;
        var live = state.Entry is not null && !expired;
        if (KvCondition.Check(put.ExpectedRevision, live ? state.Entry!.Value.Revision : 0) is { } failed)
        {
            return failed;
        }

        var next = state.Revision + 1;
        var ttl = put.Ttl ?? state.DefaultTtl;
        DateTimeOffset? expiresAt = ttl is { } t && t > TimeSpan.Zero ? now + t : null;
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO kv_entries (bucket, key, revision, size, content_type, updated_at, expires_at, value)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (bucket, key) DO UPDATE SET
                        revision = excluded.revision, size = excluded.size, content_type = excluded.content_type,
                        updated_at = excluded.updated_at, expires_at = excluded.expires_at, value = excluded.value
                    """)
                {
                    Parameters =
                    {
                        Text(put.Bucket), Text(put.Key), Param(next, NpgsqlDbType.Bigint), Param(put.Value.Length, NpgsqlDbType.Integer),
                        Text(put.ContentType), Time(now), Param(expiresAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                        Param(put.Value, NpgsqlDbType.Bytea),
                    },
                },
                new NpgsqlBatchCommand("""
                    UPDATE kv_buckets SET revision = $2, keys = keys + $3, bytes = bytes + $4, expirations = expirations + $5
                    WHERE name = $1
                    """)
                {
                    Parameters =
                    {
                        Text(put.Bucket), Param(next, NpgsqlDbType.Bigint), Param(state.Entry is null ? 1L : 0L, NpgsqlDbType.Bigint),
                        Param((long)put.Value.Length - (state.Entry?.Size ?? 0), NpgsqlDbType.Bigint), Param(expired ? 1L : 0L, NpgsqlDbType.Bigint),
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new KvWriteResult(KvWriteStatus.Ok, next, expiresAt, Created: !live);
    }

    public async Task<KvLookup> GetAsync(string bucket, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT e.revision, e.content_type, e.updated_at, e.expires_at, e.value
            FROM kv_buckets b
            LEFT JOIN kv_entries e ON e.bucket = b.name AND e.key = $2 AND (e.expires_at IS NULL OR e.expires_at > $3)
            WHERE b.name = $1
            """, connection);
        command.Parameters.Add(Text(bucket));
        command.Parameters.Add(Text(key));
        command.Parameters.Add(Time(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return KvLookup.NoBucket;
        }
        if (reader.IsDBNull(0))
        {
            return KvLookup.Missing;
        }
        return new KvLookup(true, new KvEntry(key, reader.GetFieldValue<byte[]>(4), reader.GetString(1), reader.GetInt64(0),
            reader.GetFieldValue<DateTimeOffset>(2), ToTime(reader, 3)));
    }

    public async Task<KvWriteResult> DeleteAsync(string bucket, string key, long? expectedRevision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var locked = await LockAsync(connection, transaction, bucket, key, cancellationToken).ConfigureAwait(false);
        if (locked is not { } state)
        {
            return KvWriteResult.NoBucket;
        }
        if (state.Entry is not { } entry)
        {
            return expectedRevision is null ? new KvWriteResult(KvWriteStatus.KeyNotFound) : new KvWriteResult(KvWriteStatus.RevisionMismatch);
        }
        var expired = entry.ExpiresAt <= now;
        if (!expired && KvCondition.Check(expectedRevision, entry.Revision) is { } failed)
        {
            return failed;
        }

        // An expired entry is removed here as the sweep would, and counted as an expiration, but the
        // caller is told the key was not there: for every reader it was already gone.
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("DELETE FROM kv_entries WHERE bucket = $1 AND key = $2") { Parameters = { Text(bucket), Text(key) } },
                new NpgsqlBatchCommand("""
                    UPDATE kv_buckets SET keys = keys - 1, bytes = bytes - $2, expirations = expirations + $3 WHERE name = $1
                    """)
                {
                    Parameters = { Text(bucket), Param((long)entry.Size, NpgsqlDbType.Bigint), Param(expired ? 1L : 0L, NpgsqlDbType.Bigint) },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (expired)
        {
            return expectedRevision is null ? new KvWriteResult(KvWriteStatus.KeyNotFound) : new KvWriteResult(KvWriteStatus.RevisionMismatch);
        }
        return new KvWriteResult(KvWriteStatus.Ok, entry.Revision);
    }

    public async Task<IReadOnlyList<KvKeyInfo>?> ListKeysAsync(
        string bucket, string prefix, string? after, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var upper = KvPrefix.UpperBound(prefix);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT 1 FROM kv_buckets WHERE name = $1") { Parameters = { Text(bucket) } },
                new NpgsqlBatchCommand($"""
                    SELECT key, revision, size, content_type, updated_at, expires_at FROM kv_entries
                    WHERE bucket = $1 AND key >= $2 {(upper is null ? "" : "AND key < $5")} {(after is null ? "" : "AND key > $6")}
                      AND (expires_at IS NULL OR expires_at > $3)
                    ORDER BY key
                    LIMIT $4
                    """)
                {
                    Parameters =
                    {
                        Text(bucket), Text(prefix), Time(now), Param(limit, NpgsqlDbType.Integer),
                        Text(upper ?? ""), Text(after ?? ""),
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<KvKeyInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new KvKeyInfo(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), ToTime(reader, 5)));
        }
        return keys;
    }

    /// <summary>Locks the bucket row, then reads the key's stored state; one round trip.</summary>
    /// <remarks>
    /// Two statements, not one join: under READ COMMITTED a statement that waited for a row lock sees the
    /// locked row's newest version but every other row as of its own start, so a joined entry could predate
    /// the write that held the lock. The second statement starts after the lock is held and sees that write.
    /// </remarks>
    private static async Task<LockedBucket?> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string bucket, string key, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT revision, default_ttl_seconds, max_value_bytes FROM kv_buckets WHERE name = $1 FOR UPDATE")
                {
                    Parameters = { Text(bucket) },
                },
                new NpgsqlBatchCommand("SELECT revision, size, expires_at FROM kv_entries WHERE bucket = $1 AND key = $2")
                {
                    Parameters = { Text(bucket), Text(key) },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var revision = reader.GetInt64(0);
        TimeSpan? defaultTtl = reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(reader.GetInt64(1));
        int? maxValueBytes = reader.IsDBNull(2) ? null : reader.GetInt32(2);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        StoredEntry? entry = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredEntry(reader.GetInt64(0), reader.GetInt32(1), reader.IsDBNull(2) ? DateTimeOffset.MaxValue : reader.GetFieldValue<DateTimeOffset>(2))
            : null;
        return new LockedBucket(revision, defaultTtl, maxValueBytes, entry);
    }

    private readonly record struct LockedBucket(long Revision, TimeSpan? DefaultTtl, int? MaxValueBytes, StoredEntry? Entry);

    /// <param name="ExpiresAt"><see cref="DateTimeOffset.MaxValue"/> when the entry never expires.</param>
    private readonly record struct StoredEntry(long Revision, int Size, DateTimeOffset ExpiresAt);
}
