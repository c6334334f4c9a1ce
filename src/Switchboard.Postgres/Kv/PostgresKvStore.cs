using Npgsql;
using NpgsqlTypes;
using Switchboard.Kv;

namespace Switchboard.Postgres.Kv;

/// <summary>
/// KV buckets on the scale-out engine. Every write of a bucket first locks the bucket's row
/// (<c>FOR UPDATE</c>), then checks its condition and writes the entry and the bucket's counters in the
/// same transaction: writers of one bucket on any node take turns, so compare-and-set and create-only
/// hold across nodes, and revisions are assigned without gaps. Reads take no locks.
/// </summary>
internal sealed partial class PostgresKvStore(PostgresDatabase database) : IKvStore
{
    private const string BucketColumns =
        "name, default_ttl_seconds, max_value_bytes, revision, keys, bytes, hits, misses, expirations, created_at, updated_at";

    public async Task<KvBucketUpsert> UpsertBucketAsync(string name, KvBucketSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // xmax is 0 only on a row version this statement inserted: it tells a create from an update.
        await using var command = new NpgsqlCommand($"""
            INSERT INTO kv_buckets (name, default_ttl_seconds, max_value_bytes, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (name) DO UPDATE SET
                default_ttl_seconds = excluded.default_ttl_seconds,
                max_value_bytes = excluded.max_value_bytes,
                updated_at = excluded.updated_at
            RETURNING {BucketColumns}, xmax = 0
            """, connection);
        command.Parameters.Add(Text(name));
        command.Parameters.Add(Param(settings.DefaultTtl is { } ttl ? (long)ttl.TotalSeconds : null, NpgsqlDbType.Bigint));
        command.Parameters.Add(Param(settings.MaxValueBytes, NpgsqlDbType.Integer));
        command.Parameters.Add(Time(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new KvBucketUpsert(MapBucket(reader), reader.GetBoolean(11));
    }

    public async Task<KvBucket?> GetBucketAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {BucketColumns} FROM kv_buckets WHERE name = $1", connection);
        command.Parameters.Add(Text(name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? MapBucket(reader) : null;
    }

    public async Task<IReadOnlyList<KvBucket>> ListBucketsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {BucketColumns} FROM kv_buckets ORDER BY name", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var buckets = new List<KvBucket>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            buckets.Add(MapBucket(reader));
        }
        return buckets;
    }

    public async Task<bool> DeleteBucketAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Entries go with it through ON DELETE CASCADE; deleting the row locks it first, like every writer.
        await using var command = new NpgsqlCommand("DELETE FROM kv_buckets WHERE name = $1", connection);
        command.Parameters.Add(Text(name));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static KvBucket MapBucket(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : reader.GetInt32(2),
        reader.GetInt64(3),
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.GetFieldValue<DateTimeOffset>(10),
        new KvBucketStats(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));

    private static DateTimeOffset? ToTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Param(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
