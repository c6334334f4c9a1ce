namespace Switchboard.Kv;

/// <summary>One write of a key.</summary>
/// <param name="Ttl">Null for the bucket's default; <see cref="TimeSpan.Zero"/> for a key that never expires.</param>
/// <param name="ExpectedRevision">
/// Null writes unconditionally; 0 writes only when the key does not exist (create); any other value only
/// when it is the key's current revision (compare-and-set).
/// </param>
public sealed record KvPut(string Bucket, string Key, byte[] Value, string ContentType, TimeSpan? Ttl, long? ExpectedRevision);
