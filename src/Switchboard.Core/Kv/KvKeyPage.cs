namespace Switchboard.Kv;

/// <summary>One page of keys; pass <see cref="NextCursor"/> back for the next page, null when this is the last.</summary>
public sealed record KvKeyPage(IReadOnlyList<KvKeyInfo> Items, string? NextCursor);
