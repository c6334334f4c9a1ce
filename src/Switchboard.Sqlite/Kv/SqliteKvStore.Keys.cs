using Microsoft.Data.Sqlite;
using Switchboard.Kv;

namespace Switchboard.Sqlite.Kv;

internal sealed partial class SqliteKvStore
{
    public Task<KvWriteResult> PutAsync(KvPut put, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            var bucketQuery = ctx.Command("SELECT revision, default_ttl_seconds, max_value_bytes FROM kv_buckets WHERE name = $bucket");
            bucketQuery.Parameters.AddWithValue("$bucket", put.Bucket);
            long revision;
            TimeSpan? defaultTtl;
            using (var reader = bucketQuery.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return KvWriteResult.NoBucket;
                }
                if (!reader.IsDBNull(2) && put.Value.Length > reader.GetInt32(2))
                {
                    return new KvWriteResult(KvWriteStatus.TooLarge, Limit: reader.GetInt32(2));
                }
                revision = reader.GetInt64(0);
                defaultTtl = reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(reader.GetInt64(1));
            }

            var current = FindEntry(ctx, put.Bucket, put.Key);
            var expired = current is { } c && c.ExpiresAt <= nowMs;
            var live = current is not null && !expired;
            if (KvCondition.Check(put.ExpectedRevision, live ? current!.Value.Revision : 0) is { } failed)
            {
                return failed;
            }

            var next = revision + 1;
            var ttl = put.Ttl ?? defaultTtl;
            DateTimeOffset? expiresAt = ttl is { } t && t > TimeSpan.Zero ? now + t : null;
            var upsert = ctx.Command("""
                INSERT INTO kv_entries (bucket, key, revision, size, content_type, updated_at, expires_at, value)
                VALUES ($bucket, $key, $revision, $size, $type, $now, $expires, $value)
                ON CONFLICT (bucket, key) DO UPDATE SET
                    revision = excluded.revision, size = excluded.size, content_type = excluded.content_type,
                    updated_at = excluded.updated_at, expires_at = excluded.expires_at, value = excluded.value
                """);
            upsert.Parameters.AddWithValue("$bucket", put.Bucket);
            upsert.Parameters.AddWithValue("$key", put.Key);
            upsert.Parameters.AddWithValue("$revision", next);
            upsert.Parameters.AddWithValue("$size", put.Value.Length);
            upsert.Parameters.AddWithValue("$type", put.ContentType);
            upsert.Parameters.AddWithValue("$now", nowMs);
            upsert.Parameters.AddWithValue("$expires", expiresAt is { } e ? e.ToUnixTimeMilliseconds() : DBNull.Value);
            upsert.Parameters.Add("$value", SqliteType.Blob).Value = put.Value;
            upsert.ExecuteNonQuery();

            var counters = ctx.Command("""
                UPDATE kv_buckets SET revision = $revision, keys = keys + $keys, bytes = bytes + $bytes, expirations = expirations + $expired
                WHERE name = $bucket
                """);
            counters.Parameters.AddWithValue("$bucket", put.Bucket);
            counters.Parameters.AddWithValue("$revision", next);
            counters.Parameters.AddWithValue("$keys", current is null ? 1 : 0);
            counters.Parameters.AddWithValue("$bytes", put.Value.Length - (current?.Size ?? 0));
            counters.Parameters.AddWithValue("$expired", expired ? 1 : 0);
            counters.ExecuteNonQuery();
            return new KvWriteResult(KvWriteStatus.Ok, next, expiresAt, Created: !live);
        }, cancellationToken);

    public Task<KvLookup> GetAsync(string bucket, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT revision, content_type, updated_at, expires_at, value FROM kv_entries WHERE bucket = $bucket AND key = $key
                """;
            command.Parameters.AddWithValue("$bucket", bucket);
            command.Parameters.AddWithValue("$key", key);
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    var expiresAt = ToTime(reader, 3);
                    // An entry exists only if its bucket does (foreign key), so an expired one is a plain miss.
                    return expiresAt <= now
                        ? KvLookup.Missing
                        : new KvLookup(true, new KvEntry(key, (byte[])reader.GetValue(4), reader.GetString(1), reader.GetInt64(0),
                            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), expiresAt));
                }
            }
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT 1 FROM kv_buckets WHERE name = $name";
            return BucketExists(exists, bucket) ? KvLookup.Missing : KvLookup.NoBucket;
        }, cancellationToken);

    public Task<KvWriteResult> DeleteAsync(string bucket, string key, long? expectedRevision, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var current = FindEntry(ctx, bucket, key);
            if (current is null)
            {
                if (!BucketExists(ctx.Command("SELECT 1 FROM kv_buckets WHERE name = $name"), bucket))
                {
                    return KvWriteResult.NoBucket;
                }
                return expectedRevision is null ? new KvWriteResult(KvWriteStatus.KeyNotFound) : new KvWriteResult(KvWriteStatus.RevisionMismatch);
            }
            var entry = current.Value;
            var expired = entry.ExpiresAt <= now.ToUnixTimeMilliseconds();
            if (!expired && KvCondition.Check(expectedRevision, entry.Revision) is { } failed)
            {
                return failed;
            }

            // An expired entry is removed here as the sweep would, and counted as an expiration, but the
            // caller is told the key was not there: for every reader it was already gone.
            var delete = ctx.Command("DELETE FROM kv_entries WHERE id = $id");
            delete.Parameters.AddWithValue("$id", entry.Id);
            delete.ExecuteNonQuery();
            var counters = ctx.Command("""
                UPDATE kv_buckets SET keys = keys - 1, bytes = bytes - $size, expirations = expirations + $expired WHERE name = $bucket
                """);
            counters.Parameters.AddWithValue("$bucket", bucket);
            counters.Parameters.AddWithValue("$size", entry.Size);
            counters.Parameters.AddWithValue("$expired", expired ? 1 : 0);
            counters.ExecuteNonQuery();
            if (expired)
            {
                return expectedRevision is null ? new KvWriteResult(KvWriteStatus.KeyNotFound) : new KvWriteResult(KvWriteStatus.RevisionMismatch);
            }
            return new KvWriteResult(KvWriteStatus.Ok, entry.Revision);
        }, cancellationToken);

    public Task<IReadOnlyList<KvKeyInfo>?> ListKeysAsync(
        string bucket, string prefix, string? after, int limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<KvKeyInfo>?>(connection =>
        {
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT 1 FROM kv_buckets WHERE name = $name";
            if (!BucketExists(exists, bucket))
            {
                return null;
            }
            var upper = KvPrefix.UpperBound(prefix);
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT key, revision, size, content_type, updated_at, expires_at FROM kv_entries
                WHERE bucket = $bucket AND key >= $prefix {(upper is null ? "" : "AND key < $upper")} {(after is null ? "" : "AND key > $after")}
                  AND (expires_at IS NULL OR expires_at > $now)
                ORDER BY key
                LIMIT $limit
                """;
            command.Parameters.AddWithValue("$bucket", bucket);
            command.Parameters.AddWithValue("$prefix", prefix);
            if (upper is not null)
            {
                command.Parameters.AddWithValue("$upper", upper);
            }
            if (after is not null)
            {
                command.Parameters.AddWithValue("$after", after);
            }
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var keys = new List<KvKeyInfo>();
            while (reader.Read())
            {
                keys.Add(new KvKeyInfo(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), ToTime(reader, 5)));
            }
            return keys;
        }, cancellationToken);

    private static StoredEntry? FindEntry(SqliteWriteContext ctx, string bucket, string key)
    {
        var query = ctx.Command("SELECT id, revision, size, expires_at FROM kv_entries WHERE bucket = $bucket AND key = $key");
        query.Parameters.AddWithValue("$bucket", bucket);
        query.Parameters.AddWithValue("$key", key);
        using var reader = query.ExecuteReader();
        return reader.Read()
            ? new StoredEntry(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.IsDBNull(3) ? long.MaxValue : reader.GetInt64(3))
            : null;
    }

    /// <param name="ExpiresAt">Unix milliseconds; <see cref="long.MaxValue"/> when the entry never expires.</param>
    private readonly record struct StoredEntry(long Id, long Revision, int Size, long ExpiresAt);
}
