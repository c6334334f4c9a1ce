namespace Switchboard.Kv;

/// <summary>The write conditions every engine applies the same way.</summary>
public static class KvCondition
{
    /// <summary>Null when the condition holds; otherwise the failure to report, carrying the key's current revision.</summary>
    /// <param name="expectedRevision">Null: none; 0: the key must not exist; otherwise its current revision.</param>
    /// <param name="currentRevision">The live key's revision, 0 when it does not exist or has expired.</param>
    public static KvWriteResult? Check(long? expectedRevision, long currentRevision) => expectedRevision switch
    {
        null => null,
        0 when currentRevision != 0 => new KvWriteResult(KvWriteStatus.KeyExists, currentRevision),
        0 => null,
        { } expected when expected != currentRevision => new KvWriteResult(KvWriteStatus.RevisionMismatch, currentRevision),
        _ => null,
    };
}
