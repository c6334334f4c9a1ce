namespace Switchboard.Files;

/// <summary>Where an upload stands. Only <see cref="Complete"/> files can be downloaded.</summary>
public enum FileStatus
{
    /// <summary>Bytes are still arriving; the upload expires unless it completes in time.</summary>
    Uploading,

    /// <summary>Every byte landed and the whole-file SHA-256 is verified.</summary>
    Complete,

    /// <summary>The last byte landed but the file did not match its declared SHA-256; its bytes are gone.</summary>
    Failed,
}
