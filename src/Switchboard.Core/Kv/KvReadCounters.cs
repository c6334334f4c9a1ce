using System.Collections.Concurrent;

namespace Switchboard.Kv;

/// <summary>
/// Hits and misses per bucket, counted in memory so a read never writes; <see cref="KvMaintenance"/>
/// moves them to the store on every tick.
/// </summary>
internal sealed class KvReadCounters
{
    private readonly ConcurrentDictionary<string, Counter> _buckets = new(StringComparer.Ordinal);

    public void Hit(string bucket) => Interlocked.Increment(ref For(bucket).Hits);

    public void Miss(string bucket) => Interlocked.Increment(ref For(bucket).Misses);

    /// <summary>Counts not stored yet.</summary>
    public (long Hits, long Misses) Pending(string bucket) =>
        _buckets.TryGetValue(bucket, out var counter) ? (Volatile.Read(ref counter.Hits), Volatile.Read(ref counter.Misses)) : (0, 0);

    /// <summary>Takes every pending count, leaving zero behind.</summary>
    public IReadOnlyList<KvReadCounts> Take()
    {
        var taken = new List<KvReadCounts>();
        foreach (var (bucket, counter) in _buckets)
        {
            var hits = Interlocked.Exchange(ref counter.Hits, 0);
            var misses = Interlocked.Exchange(ref counter.Misses, 0);
            if (hits != 0 || misses != 0)
            {
                taken.Add(new KvReadCounts(bucket, hits, misses));
            }
        }
        // Sorted so every node locks bucket rows in the same order when it stores them.
        taken.Sort((a, b) => string.CompareOrdinal(a.Bucket, b.Bucket));
        return taken;
    }

    /// <summary>Puts counts back after storing them failed, so the next tick retries them.</summary>
    public void Restore(IReadOnlyList<KvReadCounts> counts)
    {
        foreach (var count in counts)
        {
            var counter = For(count.Bucket);
            Interlocked.Add(ref counter.Hits, count.Hits);
            Interlocked.Add(ref counter.Misses, count.Misses);
        }
    }

    public void Forget(string bucket) => _buckets.TryRemove(bucket, out _);

    private Counter For(string bucket) => _buckets.GetOrAdd(bucket, static _ => new Counter());

    private sealed class Counter
    {
        public long Hits;
        public long Misses;
    }
}
