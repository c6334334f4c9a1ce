namespace Switchboard.Files;

/// <summary>A complete file opened for download: its metadata and a seekable stream the caller disposes.</summary>
public sealed record FileDownload(StoredFile File, Stream Content);
