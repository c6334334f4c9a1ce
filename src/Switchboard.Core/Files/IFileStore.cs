namespace Switchboard.Files;

/// <summary>
/// Upload metadata, one implementation per engine. Writes that depend on the current state (the quota at
/// creation, the offset of a chunk) check it inside the same commit, so they hold across concurrent requests
/// and across nodes. Validation belongs to <see cref="FileService"/>; stores trust their arguments.
/// </summary>
public interface IFileStore
{
    /// <summary>
    /// Inserts <paramref name="file"/> unless the owner's usage (lengths of complete and uploading files) plus
    /// its length would exceed <paramref name="quotaBytes"/>; false when it would.
    /// </summary>
    Task<bool> CreateAsync(StoredFile file, long quotaBytes, CancellationToken cancellationToken);

    Task<StoredFile?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Moves an uploading file from <paramref name="expectedOffset"/> to <paramref name="newOffset"/>; false when it is not at that offset or not uploading.</summary>
    Task<bool> AdvanceAsync(Guid id, long expectedOffset, long newOffset, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Marks an uploading file at <paramref name="expectedOffset"/> complete at its full length with its SHA-256; false otherwise.</summary>
    Task<bool> CompleteAsync(Guid id, long expectedOffset, string sha256, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks an uploading file failed (it no longer counts against the quota); false when it was not uploading.</summary>
    Task<bool> FailAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Removes the file's row; false when it did not exist.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Bytes the owner holds or has reserved: lengths of complete and uploading files.</summary>
    Task<long> UsageAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes at most <paramref name="max"/> incomplete (uploading or failed) files whose expiry is at or before
    /// <paramref name="now"/> and returns them, so their bytes can be deleted. Safe on several nodes at once:
    /// each row is returned to one caller only.
    /// </summary>
    Task<IReadOnlyList<StoredFile>> RemoveExpiredAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);
}
