namespace Switchboard.Kv;

/// <summary>The bucket after a create-or-update, and whether it was created.</summary>
public sealed record KvBucketUpsert(KvBucket Bucket, bool Created);
