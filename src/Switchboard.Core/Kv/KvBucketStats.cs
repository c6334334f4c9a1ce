namespace Switchboard.Kv;

/// <summary>
/// What a bucket holds and how it is used. <see cref="Keys"/> and <see cref="Bytes"/> count stored entries,
/// including expired ones the sweep has not removed yet; <see cref="Expirations"/> counts entries removed
/// because they expired. Hits and misses are gathered in memory on each node and stored periodically.
/// </summary>
public sealed record KvBucketStats(long Keys, long Bytes, long Hits, long Misses, long Expirations)
{
    public static KvBucketStats Empty { get; } = new(0, 0, 0, 0, 0);
}
