using Microsoft.Data.Sqlite;
using Switchboard.Kv;

namespace Switchboard.Sqlite.Kv;

/// <summary>
/// KV buckets on the embedded engine. Every write runs in the group-commit writer, which executes one
/// operation at a time, so a condition checked at the start of an operation still holds when it writes;
/// reads use pooled read-only connections and never wait for the writer.
/// </summary>
internal sealed partial class SqliteKvStore(SqliteDatabase database) : IKvStore
{
    private const string BucketColumns =
        "name, default_ttl_seconds, max_value_bytes, revision, keys, bytes, hits, misses, expirations, created_at, updated_at";

    public Task<KvBucketUpsert> UpsertBucketAsync(string name, KvBucketSettings settings, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var created = !BucketExists(ctx.Command("SELECT 1 FROM kv_buckets WHERE name = $name"), name);
            var upsert = ctx.Command("""
                INSERT INTO kv_buckets (name, default_ttl_seconds, max_value_bytes, created_at, updated_at)
                VALUES ($name, $ttl, $max, $now, $now)
                ON CONFLICT (name) DO UPDATE SET
                    default_ttl_seconds = excluded.default_ttl_seconds,
                    max_value_bytes = excluded.max_value_bytes,
                    updated_at = excluded.updated_at
                """);
            upsert.Parameters.AddWithValue("$name", name);
            upsert.Parameters.AddWithValue("$ttl", settings.DefaultTtl is { } ttl ? (long)ttl.TotalSeconds : DBNull.Value);
            upsert.Parameters.AddWithValue("$max", settings.MaxValueBytes is { } max ? max : DBNull.Value);
            upsert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            upsert.ExecuteNonQuery();
            var bucket = ReadBucket(ctx.Command($"SELECT {BucketColumns} FROM kv_buckets WHERE name = $name"), name)!;
            return new KvBucketUpsert(bucket, created);
        }, cancellationToken);

    public Task<KvBucket?> GetBucketAsync(string name, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {BucketColumns} FROM kv_buckets WHERE name = $name";
            return ReadBucket(command, name);
        }, cancellationToken);

    public Task<IReadOnlyList<KvBucket>> ListBucketsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<KvBucket>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {BucketColumns} FROM kv_buckets ORDER BY name";
            using var reader = command.ExecuteReader();
            var buckets = new List<KvBucket>();
            while (reader.Read())
            {
                buckets.Add(MapBucket(reader));
            }
            return buckets;
        }, cancellationToken);

    public Task<bool> DeleteBucketAsync(string name, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            // Entries go with it through ON DELETE CASCADE, in the same commit.
            var delete = ctx.Command("DELETE FROM kv_buckets WHERE name = $name");
            delete.Parameters.AddWithValue("$name", name);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);

    private static bool BucketExists(SqliteCommand command, string name)
    {
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is not null;
    }

    private static KvBucket? ReadBucket(SqliteCommand command, string name)
    {
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? MapBucket(reader) : null;
    }

    private static KvBucket MapBucket(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : reader.GetInt32(2),
        reader.GetInt64(3),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        new KvBucketStats(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));

    private static DateTimeOffset? ToTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
