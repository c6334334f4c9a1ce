namespace Switchboard.Kv;

/// <summary>The result of reading a key: the entry when it is live, and whether the bucket exists at all.</summary>
public sealed record KvLookup(bool BucketExists, KvEntry? Entry)
{
    public static KvLookup NoBucket { get; } = new(false, null);

    public static KvLookup Missing { get; } = new(true, null);
}
