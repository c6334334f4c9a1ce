using Microsoft.Extensions.Options;
using Switchboard.Errors;

namespace Switchboard.Kv;

/// <summary>
/// KV buckets for every transport: validates names, keys, values and TTLs, turns store outcomes into
/// errors with stable codes, and counts hits and misses in memory (stored by <see cref="FlushReadCountsAsync"/>).
/// </summary>
public sealed class KvService(IKvStore store, IOptions<KvOptions> options, TimeProvider time)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const string DefaultContentType = "application/octet-stream";

    /// <summary>Ten years: long enough for any cache, short enough that expiry arithmetic never overflows.</summary>
    public const int MaxTtlSeconds = 10 * 365 * 24 * 3600;

    private const int SweepBatch = 1000;

    private readonly KvReadCounters _counters = new();

    /// <summary>The largest value the server accepts in any bucket.</summary>
    public int MaxValueBytes => options.Value.MaxValueBytes;

    /// <summary>Creates the bucket or replaces its settings.</summary>
    /// <param name="defaultTtlSeconds">TTL of keys written without one; null or 0 for keys that never expire.</param>
    /// <param name="maxValueBytes">A tighter value limit for this bucket; null for the server's.</param>
    public Task<KvBucketUpsert> PutBucketAsync(string bucket, int? defaultTtlSeconds, int? maxValueBytes, CancellationToken cancellationToken = default)
    {
        CheckBucket(bucket);
        var validation = new Validation();
        validation.Require(defaultTtlSeconds is null or (>= 0 and <= MaxTtlSeconds), "defaultTtlSeconds",
            $"defaultTtlSeconds must be between 0 (never expire) and {MaxTtlSeconds}.");
        validation.Require(maxValueBytes is null || (maxValueBytes >= 1 && maxValueBytes <= MaxValueBytes), "maxValueBytes",
            $"maxValueBytes must be between 1 and the server's limit, {MaxValueBytes} (Kv:MaxValueBytes).");
        validation.ThrowIfInvalid();
        var settings = new KvBucketSettings(defaultTtlSeconds is > 0 ? TimeSpan.FromSeconds(defaultTtlSeconds.Value) : null, maxValueBytes);
        return store.UpsertBucketAsync(bucket, settings, Now(), cancellationToken);
    }

    /// <summary>The bucket with its stats, including this node's hits and misses not stored yet.</summary>
    public async Task<KvBucket> GetBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        CheckBucket(bucket);
        var found = await store.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false) ?? throw BucketNotFound(bucket);
        return WithPendingCounts(found);
    }

    public async Task<IReadOnlyList<KvBucket>> ListBucketsAsync(CancellationToken cancellationToken = default)
    {
        var buckets = await store.ListBucketsAsync(cancellationToken).ConfigureAwait(false);
        return buckets.Select(WithPendingCounts).ToArray();
    }

    public async Task DeleteBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        CheckBucket(bucket);
        if (!await store.DeleteBucketAsync(bucket, cancellationToken).ConfigureAwait(false))
        {
            throw BucketNotFound(bucket);
        }
        _counters.Forget(bucket);
    }

    /// <summary>Writes a key and returns its new revision.</summary>
    /// <param name="ttlSeconds">Null for the bucket's default TTL; 0 for a key that never expires.</param>
    /// <param name="expectedRevision">Null to write unconditionally; 0 to create only; otherwise compare-and-set.</param>
    public async Task<KvWriteResult> PutAsync(
        string bucket, string key, byte[] value, string? contentType, int? ttlSeconds, long? expectedRevision, CancellationToken cancellationToken = default)
    {
        CheckBucket(bucket);
        CheckKey(key);
        contentType = string.IsNullOrWhiteSpace(contentType) ? DefaultContentType : contentType.Trim();
        var validation = new Validation();
        validation.Require(KvNames.IsValidContentType(contentType), "contentType",
            $"The content type must be printable ASCII of at most {KvNames.MaxContentTypeLength} characters.");
        validation.Require(ttlSeconds is null or (>= 0 and <= MaxTtlSeconds), "ttlSeconds",
            $"ttlSeconds must be between 0 (never expire) and {MaxTtlSeconds}.");
        validation.Require(expectedRevision is null or >= 0, "expectedRevision", "An expected revision is 0 (create only) or a revision the server returned.");
        validation.ThrowIfInvalid();
        if (value.Length > MaxValueBytes)
        {
            throw TooLarge(value.Length, MaxValueBytes, "the server's limit (Kv:MaxValueBytes)");
        }

        var ttl = ttlSeconds is null ? (TimeSpan?)null : TimeSpan.FromSeconds(ttlSeconds.Value);
        var put = new KvPut(bucket, key, value, contentType, ttl, expectedRevision);
        var result = await store.PutAsync(put, Now(), cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            KvWriteStatus.Ok => result,
            KvWriteStatus.TooLarge => throw TooLarge(value.Length, result.Limit, $"the limit of bucket '{bucket}'"),
            _ => throw Failure(result, bucket, key, expectedRevision),
        };
    }

    /// <summary>Reads a live key; counts a hit, or a miss when it is absent or expired.</summary>
    public async Task<KvEntry> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        CheckBucket(bucket);
        CheckKey(key);
        var lookup = await store.GetAsync(bucket, key, Now(), cancellationToken).ConfigureAwait(false);
        if (!lookup.BucketExists)
        {
            throw BucketNotFound(bucket);
        }
        if (lookup.Entry is null)
        {
            _counters.Miss(bucket);
            throw KeyNotFound(bucket, key);
        }
        _counters.Hit(bucket);
        return lookup.Entry;
    }

    /// <summary>Deletes a live key, only at <paramref name="expectedRevision"/> when given; returns the revision it had.</summary>
    public async Task<long> DeleteAsync(string bucket, string key, long? expectedRevision, CancellationToken cancellationToken = default)
    {
        CheckBucket(bucket);
        CheckKey(key);
        new Validation()
            .Require(expectedRevision is null or > 0, "expectedRevision", "An expected revision is one the server returned.")
            .ThrowIfInvalid();
        var result = await store.DeleteAsync(bucket, key, expectedRevision, Now(), cancellationToken).ConfigureAwait(false);
        return result.Status == KvWriteStatus.Ok ? result.Revision : throw Failure(result, bucket, key, expectedRevision);
    }

    /// <summary>Live keys starting with <paramref name="prefix"/>, in UTF-8 byte order, a page at a time.</summary>
    public async Task<KvKeyPage> ListKeysAsync(string bucket, string? prefix, int? limit, string? cursor, CancellationToken cancellationToken = default)
    {
        CheckBucket(bucket);
        prefix ??= "";
        var validation = new Validation();
        if (KvNames.KeyProblem(prefix, allowEmpty: true) is { } problem)
        {
            validation.Add("prefix", problem.Replace("A key", "A prefix", StringComparison.Ordinal));
        }
        validation.Require(limit is null or (>= 1 and <= MaxPageSize), "limit", $"limit must be between 1 and {MaxPageSize}.");
        validation.ThrowIfInvalid();
        var after = KvCursor.Decode(cursor);
        var size = limit ?? DefaultPageSize;

        var keys = await store.ListKeysAsync(bucket, prefix, after, size + 1, Now(), cancellationToken).ConfigureAwait(false)
            ?? throw BucketNotFound(bucket);
        if (keys.Count <= size)
        {
            return new KvKeyPage(keys, null);
        }
        var page = keys.Take(size).ToArray();
        return new KvKeyPage(page, KvCursor.Encode(page[^1].Key));
    }

    /// <summary>Removes every key that has expired by now; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        var total = 0;
        int removed;
        do
        {
            removed = await store.SweepExpiredAsync(now, SweepBatch, cancellationToken).ConfigureAwait(false);
            total += removed;
        }
        while (removed == SweepBatch);
        return total;
    }

    /// <summary>Stores the hits and misses counted in memory since the last flush.</summary>
    public async Task FlushReadCountsAsync(CancellationToken cancellationToken = default)
    {
        var counts = _counters.Take();
        if (counts.Count == 0)
        {
            return;
        }
        try
        {
            await store.AddReadCountsAsync(counts, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _counters.Restore(counts);
            throw;
        }
    }

    // Whole milliseconds: the finest unit both engines store, so a time read back equals the time written.
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private KvBucket WithPendingCounts(KvBucket bucket)
    {
        var (hits, misses) = _counters.Pending(bucket.Name);
        return hits == 0 && misses == 0
            ? bucket
            : bucket with { Stats = bucket.Stats with { Hits = bucket.Stats.Hits + hits, Misses = bucket.Stats.Misses + misses } };
    }

    private static void CheckBucket(string bucket)
    {
        if (!KvNames.IsValidBucket(bucket))
        {
            throw new SwitchboardException(ErrorCodes.InvalidName,
                $"A bucket name is 1–{KvNames.MaxBucketLength} characters of A–Z, a–z, 0–9, '.', '_' and '-'.",
                new Dictionary<string, string[]> { ["bucket"] = ["Use 1–64 characters of A–Z, a–z, 0–9, '.', '_' and '-'."] });
        }
    }

    private static void CheckKey(string key)
    {
        if (KvNames.KeyProblem(key) is { } problem)
        {
            throw new SwitchboardException(ErrorCodes.InvalidKey, problem, new Dictionary<string, string[]> { ["key"] = [problem] });
        }
    }

    private static SwitchboardException Failure(KvWriteResult result, string bucket, string key, long? expectedRevision)
    {
        switch (result.Status)
        {
            case KvWriteStatus.BucketNotFound:
                return BucketNotFound(bucket);
            case KvWriteStatus.KeyNotFound:
                return KeyNotFound(bucket, key);
            case KvWriteStatus.KeyExists:
                var exists = new SwitchboardException(ErrorCodes.KeyExists,
                    $"Key '{key}' already exists in bucket '{bucket}' at revision {result.Revision}; write without the create-only condition to replace it.");
                exists.Extensions["currentRevision"] = result.Revision;
                return exists;
            default:
                var detail = result.Revision == 0
                    ? $"Key '{key}' does not exist in bucket '{bucket}', so it is not at revision {expectedRevision}."
                    : $"Key '{key}' is at revision {result.Revision}, not {expectedRevision}; read it again and retry with its current revision.";
                var mismatch = new SwitchboardException(ErrorCodes.RevisionMismatch, detail);
                mismatch.Extensions["currentRevision"] = result.Revision == 0 ? null : result.Revision;
                return mismatch;
        }
    }

    private static SwitchboardException BucketNotFound(string bucket) =>
        new(ErrorCodes.BucketNotFound, $"Bucket '{bucket}' does not exist; create it with PUT /v1/kv/{bucket}.");

    private static SwitchboardException KeyNotFound(string bucket, string key) =>
        new(ErrorCodes.KeyNotFound, $"Key '{key}' does not exist in bucket '{bucket}' or has expired.");

    private static SwitchboardException TooLarge(int size, int limit, string whose)
    {
        var ex = new SwitchboardException(ErrorCodes.PayloadTooLarge, $"The value is {size} bytes, more than {whose} of {limit} bytes.");
        ex.Extensions["maxValueBytes"] = limit;
        return ex;
    }
}
