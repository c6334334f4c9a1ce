using Switchboard.Kv;

namespace Switchboard.Sqlite.Kv;

internal sealed partial class SqliteKvStore
{
    public Task<int> SweepExpiredAsync(DateTimeOffset now, int maxEntries, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var delete = ctx.Command("""
                DELETE FROM kv_entries
                WHERE id IN (SELECT id FROM kv_entries WHERE expires_at <= $now LIMIT $max)
                RETURNING bucket, size
                """);
            delete.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$max", maxEntries);
            var removed = new Dictionary<string, (long Keys, long Bytes)>(StringComparer.Ordinal);
            var total = 0;
            using (var reader = delete.ExecuteReader())
            {
                while (reader.Read())
                {
                    var bucket = reader.GetString(0);
                    var (keys, bytes) = removed.GetValueOrDefault(bucket);
                    removed[bucket] = (keys + 1, bytes + reader.GetInt64(1));
                    total++;
                }
            }
            foreach (var (bucket, (keys, bytes)) in removed)
            {
                var counters = ctx.Command("""
                    UPDATE kv_buckets SET keys = keys - $keys, bytes = bytes - $bytes, expirations = expirations + $keys WHERE name = $bucket
                    """);
                counters.Parameters.AddWithValue("$bucket", bucket);
                counters.Parameters.AddWithValue("$keys", keys);
                counters.Parameters.AddWithValue("$bytes", bytes);
                counters.ExecuteNonQuery();
            }
            return total;
        }, cancellationToken);

    public Task AddReadCountsAsync(IReadOnlyList<KvReadCounts> counts, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var count in counts)
            {
                var update = ctx.Command("UPDATE kv_buckets SET hits = hits + $hits, misses = misses + $misses WHERE name = $bucket");
                update.Parameters.AddWithValue("$bucket", count.Bucket);
                update.Parameters.AddWithValue("$hits", count.Hits);
                update.Parameters.AddWithValue("$misses", count.Misses);
                update.ExecuteNonQuery();
            }
        }, cancellationToken);
}
