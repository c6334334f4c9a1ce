namespace Switchboard.Kv;

/// <summary>What a write did.</summary>
/// <param name="Revision">
/// On success the revision assigned to the write (for a delete, the revision the key had);
/// on a failed condition the key's current revision, 0 when it does not exist.
/// </param>
/// <param name="Created">Whether a put created the key rather than replacing a live one.</param>
/// <param name="Limit">With <see cref="KvWriteStatus.TooLarge"/>, the bucket's limit in bytes.</param>
public sealed record KvWriteResult(KvWriteStatus Status, long Revision = 0, DateTimeOffset? ExpiresAt = null, bool Created = false, int Limit = 0)
{
    public static KvWriteResult NoBucket { get; } = new(KvWriteStatus.BucketNotFound);
}
