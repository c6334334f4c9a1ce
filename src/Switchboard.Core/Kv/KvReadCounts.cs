namespace Switchboard.Kv;

/// <summary>Hits and misses of one bucket gathered since the last flush.</summary>
public sealed record KvReadCounts(string Bucket, long Hits, long Misses);
