namespace Switchboard.Kv;

/// <summary>A key as listed: everything but its value.</summary>
/// <param name="Size">The value's length in bytes.</param>
public sealed record KvKeyInfo(string Key, long Revision, int Size, string ContentType, DateTimeOffset UpdatedAt, DateTimeOffset? ExpiresAt);
