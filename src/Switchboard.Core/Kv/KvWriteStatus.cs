namespace Switchboard.Kv;

public enum KvWriteStatus
{
    Ok,
    BucketNotFound,
    KeyNotFound,

    /// <summary>The key's current revision is not the expected one (or the key does not exist).</summary>
    RevisionMismatch,

    /// <summary>A create-only write found the key already there.</summary>
    KeyExists,

    /// <summary>The value is larger than the bucket's own limit.</summary>
    TooLarge,
}
