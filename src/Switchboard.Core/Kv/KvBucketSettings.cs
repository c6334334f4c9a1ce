namespace Switchboard.Kv;

/// <summary>The settings a client chooses for a bucket.</summary>
/// <param name="DefaultTtl">Applied to keys written without a TTL; null when they never expire.</param>
/// <param name="MaxValueBytes">A tighter value limit than the server's; null to use the server's.</param>
public sealed record KvBucketSettings(TimeSpan? DefaultTtl, int? MaxValueBytes);
