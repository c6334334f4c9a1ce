namespace Switchboard.Kv;

/// <summary>
/// The storage of KV buckets, one implementation per engine. Every write assigns the bucket's next
/// revision in the same commit as the change, and conditions (compare-and-set, create-only) are checked
/// inside that commit, so they hold across concurrent writers and across nodes.
/// Validation belongs to <see cref="KvService"/>; stores trust their arguments.
/// </summary>
/// <remarks>
/// Times come from the caller (the <c>now</c> parameters) so every engine judges expiry by the same clock.
/// An entry whose <c>expiresAt</c> is at or before <c>now</c> is absent for every read and every condition.
/// </remarks>
public interface IKvStore
{
    /// <summary>Creates the bucket, or replaces its settings when it exists (revision, keys and stats are kept).</summary>
    Task<KvBucketUpsert> UpsertBucketAsync(string name, KvBucketSettings settings, DateTimeOffset now, CancellationToken cancellationToken);

    Task<KvBucket?> GetBucketAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every bucket in name order.</summary>
    Task<IReadOnlyList<KvBucket>> ListBucketsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the bucket and all its keys; false when it did not exist.</summary>
    Task<bool> DeleteBucketAsync(string name, CancellationToken cancellationToken);

    Task<KvWriteResult> PutAsync(KvPut put, DateTimeOffset now, CancellationToken cancellationToken);

    Task<KvLookup> GetAsync(string bucket, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes a live key; with <paramref name="expectedRevision"/> only when that is its current revision.</summary>
    Task<KvWriteResult> DeleteAsync(string bucket, string key, long? expectedRevision, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Live keys of the bucket that start with <paramref name="prefix"/> and sort (by UTF-8 bytes) after
    /// <paramref name="after"/>, in key order, at most <paramref name="limit"/>; null when the bucket does not exist.
    /// </summary>
    Task<IReadOnlyList<KvKeyInfo>?> ListKeysAsync(string bucket, string prefix, string? after, int limit, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Removes at most <paramref name="maxEntries"/> expired entries and counts them as expirations of their buckets.
    /// Safe to run on several nodes at once: an entry is removed, and counted, once. Returns how many it removed.
    /// </summary>
    Task<int> SweepExpiredAsync(DateTimeOffset now, int maxEntries, CancellationToken cancellationToken);

    /// <summary>Adds read counts gathered in memory to the buckets' stored stats; unknown buckets are ignored.</summary>
    Task AddReadCountsAsync(IReadOnlyList<KvReadCounts> counts, CancellationToken cancellationToken);
}
