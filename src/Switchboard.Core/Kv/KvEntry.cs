namespace Switchboard.Kv;

/// <summary>A live key with its value, kept as the bytes the client sent.</summary>
public sealed record KvEntry(
    string Key,
    byte[] Value,
    string ContentType,
    long Revision,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExpiresAt);
