namespace Switchboard.Kv;

/// <summary>A bucket: its settings, the last revision it assigned, and its stats.</summary>
/// <param name="DefaultTtl">The time to live of keys written without one; null when they never expire.</param>
/// <param name="MaxValueBytes">This bucket's value limit; null means the server's <c>Kv:MaxValueBytes</c>.</param>
/// <param name="Revision">The last revision assigned to a write in this bucket (0 before the first).</param>
public sealed record KvBucket(
    string Name,
    TimeSpan? DefaultTtl,
    int? MaxValueBytes,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    KvBucketStats Stats);
