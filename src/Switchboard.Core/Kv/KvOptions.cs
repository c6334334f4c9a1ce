namespace Switchboard.Kv;

/// <summary>Configuration section <c>Kv</c>: limits and housekeeping of KV buckets.</summary>
public sealed class KvOptions
{
    public const string Section = "Kv";

    /// <summary>The largest value a key may hold, in bytes; a bucket may set a smaller limit. Default 1 MiB.</summary>
    public int MaxValueBytes { get; set; } = 1024 * 1024;

    /// <summary>How often expired keys are removed and the in-memory hit and miss counts are stored. Default 5 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}
