namespace Switchboard.Files;

/// <summary>
/// Where the bytes of uploads live, addressed by the server-generated file id (never a client's name). The
/// local-disk store is the default; an S3-compatible store can implement the same contract (append as
/// multipart parts, reads as ranged GETs behind a seekable stream).
/// </summary>
public interface IFileContentStore
{
    /// <summary>
    /// Opens the file's content for appending at <paramref name="offset"/>, creating it when needed and cutting
    /// off anything beyond the offset (bytes written by a request whose offset was never recorded).
    /// </summary>
    Task<Stream> OpenAppendAsync(Guid id, long offset, CancellationToken cancellationToken);

    /// <summary>Opens the content for reading; the stream is seekable, so a range is a seek and a bounded read. Null when absent.</summary>
    Task<Stream?> OpenReadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Deletes the content; nothing happens when it is already gone.</summary>
    Task DeleteAsync(Guid id, CancellationToken cancellationToken);
}
