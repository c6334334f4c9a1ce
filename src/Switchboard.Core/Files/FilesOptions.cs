namespace Switchboard.Files;

/// <summary>Configuration section <c>Files</c>: resumable uploads and their storage.</summary>
public sealed class FilesOptions
{
    public const string Section = "Files";

    /// <summary>The largest upload (its declared Upload-Length) in bytes. Default 2 GiB.</summary>
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Bytes one user may hold: complete files plus the declared length of uploads in progress. Default 10 GiB.</summary>
    public long QuotaBytesPerUser { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>An upload that receives no bytes for this long is removed with its bytes. Default 24 hours.</summary>
    public TimeSpan IncompleteUploadExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired uploads are looked for. Default 1 minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The folder of the local-disk store; relative paths are under the data folder. Default <c>files</c>.</summary>
    public string Path { get; set; } = "files";
}
