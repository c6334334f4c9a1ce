using Switchboard.Kv;

namespace Switchboard.Server.Kv;

/// <summary>Body of <c>PUT /v1/kv/{bucket}</c>; an empty body creates a bucket with the defaults.</summary>
/// <param name="DefaultTtlSeconds">TTL of keys written without one; null or 0 for keys that never expire.</param>
/// <param name="MaxValueBytes">A tighter value limit for this bucket than the server's <c>Kv:MaxValueBytes</c>.</param>
internal sealed record KvBucketRequest(int? DefaultTtlSeconds, int? MaxValueBytes);

/// <summary>A bucket's settings and stats.</summary>
internal sealed record KvBucketResponse(
    string Name,
    int? DefaultTtlSeconds,
    int? MaxValueBytes,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    KvBucketStats Stats)
{
    public static KvBucketResponse From(KvBucket bucket) => new(
        bucket.Name,
        bucket.DefaultTtl is { } ttl ? (int)ttl.TotalSeconds : null,
        bucket.MaxValueBytes,
        bucket.Revision,
        bucket.CreatedAt,
        bucket.UpdatedAt,
        bucket.Stats);
}

internal sealed record KvBucketList(IReadOnlyList<KvBucketResponse> Items);

/// <summary>What a write of a key returns; the revision is also in the <c>ETag</c> header.</summary>
internal sealed record KvPutResponse(string Bucket, string Key, long Revision, DateTimeOffset? ExpiresAt, bool Created);
