using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Operations;

namespace Switchboard.Files;

/// <summary>
/// Resumable uploads and downloads, independent of the transport (the tus endpoints are a thin adapter).
/// Bytes are streamed to the <see cref="IFileContentStore"/> in 1 MiB pieces and hashed as they are written;
/// when the last byte lands the whole-file SHA-256 is compared with the declared one, and a mismatch discards
/// the upload. Only the uploader writes; the uploader, admins and any <see cref="IFileReadGrant"/> read.
/// Anyone else is told the file does not exist.
/// </summary>
public sealed partial class FileService(
    IFileStore store,
    IFileContentStore content,
    IEnumerable<IFileReadGrant> grants,
    IOptions<FilesOptions> options,
    TimeProvider time,
    ILogger<FileService> logger)
{
    private const int BufferSize = 1024 * 1024;

    private readonly IFileReadGrant[] _grants = [.. grants];
    private readonly UploadSessions _sessions = new();

    public FilesOptions Options => options.Value;

    /// <summary>Creates an upload (tus creation). A zero-length upload is complete at once.</summary>
    public async Task<StoredFile> CreateAsync(Caller caller, FileUpload upload, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (upload.Length < 0)
        {
            throw SwitchboardException.Validation("Upload-Length", "Upload-Length must be a non-negative number of bytes.");
        }
        if (upload.Length > settings.MaxUploadBytes)
        {
            throw TooLarge($"Upload-Length {upload.Length} is over the {settings.MaxUploadBytes} bytes this server accepts.", settings.MaxUploadBytes);
        }
        var expected = upload.Sha256 is null ? null : FileChecksums.ParseSha256(upload.Sha256, "Upload-Metadata.sha256");
        var now = time.GetUtcNow();
        var file = new StoredFile(Guid.CreateVersion7(now), caller.Id, FileNames.Sanitize(upload.Name), ContentTypes.Sanitize(upload.ContentType),
            upload.Length, 0, expected, null, FileStatus.Uploading, now, now + settings.IncompleteUploadExpiry, null);
        if (!await store.CreateAsync(file, settings.QuotaBytesPerUser, cancellationToken).ConfigureAwait(false))
        {
            var used = await store.UsageAsync(caller.Id, cancellationToken).ConfigureAwait(false);
            var error = new SwitchboardException(ErrorCodes.QuotaExceeded,
                $"This upload of {upload.Length} bytes would take you over your quota of {settings.QuotaBytesPerUser} bytes ({used} used or reserved).");
            error.Extensions["quotaBytes"] = settings.QuotaBytesPerUser;
            error.Extensions["usedBytes"] = used;
            throw error;
        }
        LogCreated(logger, file.Id, caller.Id, file.Length);
        if (file.Length == 0)
        {
            return await AppendAsync(caller, file.Id, 0, Stream.Null, 0, null, cancellationToken).ConfigureAwait(false);
        }
        return file;
    }

    /// <summary>The upload's state for its uploader or an admin (tus HEAD).</summary>
    public async Task<StoredFile> GetUploadAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        var file = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (file is null || (file.OwnerId != caller.Id && !caller.IsAdmin))
        {
            throw NotFound(id);
        }
        return file.Status == FileStatus.Failed ? throw Failed(id) : file;
    }

    /// <summary>
    /// Appends <paramref name="body"/> at <paramref name="offset"/> (tus PATCH). Only the uploader may. When the
    /// client goes away mid-body the bytes that arrived are kept (unless a chunk checksum was sent, which cannot
    /// be verified then), so HEAD tells where to resume.
    /// </summary>
    /// <param name="declaredLength">The request's Content-Length, when it has one.</param>
    public async Task<StoredFile> AppendAsync(Caller caller, Guid id, long offset, Stream body, long? declaredLength, ChunkChecksum? checksum,
        CancellationToken cancellationToken = default)
    {
        var file = await GetWritableAsync(caller, id, offset, declaredLength, cancellationToken).ConfigureAwait(false);
        if (file.Status == FileStatus.Complete)
        {
            return file;
        }
        var session = _sessions.TryAcquire(id) ?? throw new SwitchboardException(ErrorCodes.UploadLocked,
            "Another request is writing to this upload; wait for it to finish (or time out), then ask HEAD for the offset.");
        try
        {
            // Read again under the session: a request that just finished may have moved the offset.
            file = await GetWritableAsync(caller, id, offset, declaredLength, cancellationToken).ConfigureAwait(false);
            if (file.Status == FileStatus.Complete)
            {
                return file;
            }
            return await WriteAsync(file, session, body, checksum, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            UploadSessions.Release(session);
        }
    }

    private async Task<StoredFile> WriteAsync(StoredFile file, UploadSession session, Stream body, ChunkChecksum? checksum, CancellationToken cancellationToken)
    {
        var hash = await session.HashAtAsync(file.Id, file.Offset, content, cancellationToken).ConfigureAwait(false);
        using var chunkHash = checksum?.CreateHash();
        var remaining = file.Length - file.Offset;
        long written = 0;
        Exception? interrupted = null;
        var overrun = false;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var output = await content.OpenAppendAsync(file.Id, file.Offset, cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    // Ask for one byte more than may come, to notice a body that runs past Upload-Length.
                    read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining - written + 1)), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not SwitchboardException)
                {
                    interrupted = ex;
                    break;
                }
                if (read == 0)
                {
                    break;
                }
                if (written + read > remaining)
                {
                    overrun = true;
                    break;
                }
                // Once read, bytes are written and hashed even if the client has gone: they are kept for the resume.
                await output.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                hash.AppendData(buffer, 0, read);
                chunkHash?.AppendData(buffer, 0, read);
                written += read;
            }
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (output is FileStream fileStream)
            {
                // The offset recorded next must never point past bytes that a power loss could take back.
                fileStream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            session.Reset();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await output.DisposeAsync().ConfigureAwait(false);
        }

        if (overrun)
        {
            session.Reset();
            throw TooLarge($"The body runs past the upload's Upload-Length of {file.Length} bytes; this chunk was discarded.", file.Length);
        }
        if (checksum is not null && (interrupted is not null || !CryptographicOperations.FixedTimeEquals(chunkHash!.GetHashAndReset(), checksum.Digest)))
        {
            // A chunk that cannot be verified is not kept; the next PATCH re-hashes the stored prefix.
            session.Reset();
            if (interrupted is not null)
            {
                ExceptionDispatchInfo.Throw(interrupted);
            }
            throw new SwitchboardException(ErrorCodes.ChunkChecksumMismatch,
                $"The chunk's {checksum.Algorithm} does not match Upload-Checksum; it was discarded and the offset is still {file.Offset}.");
        }

        var newOffset = file.Offset + written;
        var now = time.GetUtcNow();
        if (newOffset == file.Length)
        {
            return await FinishAsync(file, session, hash, now).ConfigureAwait(false);
        }
        if (written > 0)
        {
            var expiresAt = now + options.Value.IncompleteUploadExpiry;
            if (!await store.AdvanceAsync(file.Id, file.Offset, newOffset, expiresAt, CancellationToken.None).ConfigureAwait(false))
            {
                session.Reset();
                throw NotFound(file.Id);
            }
            session.Advanced(newOffset);
            file = file with { Offset = newOffset, ExpiresAt = expiresAt };
        }
        if (interrupted is not null)
        {
            LogInterrupted(logger, file.Id, newOffset, file.Length);
            ExceptionDispatchInfo.Throw(interrupted);
        }
        return file;
    }

    private async Task<StoredFile> FinishAsync(StoredFile file, UploadSession session, IncrementalHash hash, DateTimeOffset now)
    {
        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        session.Reset();
        if (file.ExpectedSha256 is not null && file.ExpectedSha256 != sha256)
        {
            await store.FailAsync(file.Id, CancellationToken.None).ConfigureAwait(false);
            await content.DeleteAsync(file.Id, CancellationToken.None).ConfigureAwait(false);
            _sessions.Forget(file.Id);
            LogChecksumMismatch(logger, file.Id, file.ExpectedSha256, sha256);
            var error = new SwitchboardException(ErrorCodes.ChecksumMismatch,
                $"The {file.Length} bytes received hash to SHA-256 {sha256}, not the declared {file.ExpectedSha256}; the upload was discarded.");
            error.Extensions["expectedSha256"] = file.ExpectedSha256;
            error.Extensions["actualSha256"] = sha256;
            throw error;
        }
        if (!await store.CompleteAsync(file.Id, file.Offset, sha256, now, CancellationToken.None).ConfigureAwait(false))
        {
            throw NotFound(file.Id);
        }
        _sessions.Forget(file.Id);
        LogCompleted(logger, file.Id, file.Length);
        return file with { Offset = file.Length, Sha256 = sha256, Status = FileStatus.Complete, ExpiresAt = null, CompletedAt = now };
    }

    private async Task<StoredFile> GetWritableAsync(Caller caller, Guid id, long offset, long? declaredLength, CancellationToken cancellationToken)
    {
        var file = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (file is null || file.OwnerId != caller.Id)
        {
            throw NotFound(id);
        }
        if (file.Status == FileStatus.Failed)
        {
            throw Failed(id);
        }
        if (offset != file.Offset)
        {
            var error = new SwitchboardException(ErrorCodes.OffsetMismatch, $"Upload-Offset is {offset} but the upload is at {file.Offset}; resume from {file.Offset}.");
            error.Extensions["uploadOffset"] = file.Offset;
            throw error;
        }
        if (declaredLength > file.Length - file.Offset)
        {
            throw TooLarge($"The body of {declaredLength} bytes runs past the upload's Upload-Length ({file.Length - file.Offset} bytes remain).", file.Length);
        }
        return file;
    }

    /// <summary>The file's metadata for anyone who may download it; the uploader and admins also see unfinished uploads.</summary>
    public async Task<StoredFile> GetInfoAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        var file = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (file is not null && (file.OwnerId == caller.Id || caller.IsAdmin))
        {
            return file;
        }
        if (file is not null && file.Status == FileStatus.Complete && await GrantedAsync(caller, id, cancellationToken).ConfigureAwait(false))
        {
            return file;
        }
        throw NotFound(id);
    }

    /// <summary>Opens a complete file for download. The caller disposes the stream.</summary>
    public async Task<FileDownload> OpenDownloadAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        var file = await GetInfoAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (file.Status == FileStatus.Failed)
        {
            throw Failed(id);
        }
        if (file.Status != FileStatus.Complete)
        {
            throw new SwitchboardException(ErrorCodes.UploadIncomplete, $"File {id} has {file.Offset} of {file.Length} bytes; finish the upload first.");
        }
        var stream = await content.OpenReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            LogContentMissing(logger, id);
            throw NotFound(id);
        }
        return new FileDownload(file, stream);
    }

    /// <summary>Deletes an upload or a file with its bytes (tus termination). Only the uploader or an admin may.</summary>
    public async Task DeleteAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        var file = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (file is null || (file.OwnerId != caller.Id && !caller.IsAdmin))
        {
            throw NotFound(id);
        }
        var session = _sessions.TryAcquire(id) ?? throw new SwitchboardException(ErrorCodes.UploadLocked,
            "A request is writing to this upload; retry the delete when it has finished.");
        try
        {
            await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
            await content.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
            session.Reset();
        }
        finally
        {
            UploadSessions.Release(session);
        }
        _sessions.Forget(id);
    }

    /// <summary>Removes incomplete uploads past their expiry with their bytes; returns how many. Idempotent across nodes.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var removed = 0;
        while (true)
        {
            var expired = await store.RemoveExpiredAsync(time.GetUtcNow(), 100, cancellationToken).ConfigureAwait(false);
            foreach (var file in expired)
            {
                await content.DeleteAsync(file.Id, CancellationToken.None).ConfigureAwait(false);
                _sessions.Forget(file.Id);
            }
            removed += expired.Count;
            if (expired.Count < 100)
            {
                return removed;
            }
        }
    }

    /// <summary>For other features: the file's summary, or null when it does not exist or failed.</summary>
    public async Task<FileSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var file = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return file is null || file.Status == FileStatus.Failed ? null : file.ToSummary();
    }

    private async Task<bool> GrantedAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        foreach (var grant in _grants)
        {
            if (await grant.AllowsAsync(caller.Id, id, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        return false;
    }

    private static SwitchboardException NotFound(Guid id) => new(ErrorCodes.FileNotFound, $"File {id} was not found.");

    private static SwitchboardException Failed(Guid id) => new(ErrorCodes.UploadFailed, $"Upload {id} failed its SHA-256 check and its bytes were discarded; start a new upload.");

    private static SwitchboardException TooLarge(string detail, long maxBytes)
    {
        var error = new SwitchboardException(ErrorCodes.UploadTooLarge, detail);
        error.Extensions["maxBytes"] = maxBytes;
        return error;
    }

    [LoggerMessage(EventId = EventIds.Files.UploadCreated, Level = LogLevel.Debug, Message = "Upload {Id} created by {OwnerId} for {Length} bytes")]
    private static partial void LogCreated(ILogger logger, Guid id, string ownerId, long length);

    [LoggerMessage(EventId = EventIds.Files.Completed, Level = LogLevel.Information, Message = "Upload {Id} completed with {Length} bytes")]
    private static partial void LogCompleted(ILogger logger, Guid id, long length);

    [LoggerMessage(EventId = EventIds.Files.ChecksumMismatch, Level = LogLevel.Warning, Message = "Upload {Id} discarded: declared SHA-256 {Expected}, received {Actual}")]
    private static partial void LogChecksumMismatch(ILogger logger, Guid id, string expected, string actual);

    [LoggerMessage(EventId = EventIds.Files.Interrupted, Level = LogLevel.Information, Message = "Upload {Id} interrupted at {Offset} of {Length} bytes; it can resume")]
    private static partial void LogInterrupted(ILogger logger, Guid id, long offset, long length);

    [LoggerMessage(EventId = EventIds.Files.ContentMissing, Level = LogLevel.Error, Message = "File {Id} is complete in the database but its content is missing")]
    private static partial void LogContentMissing(ILogger logger, Guid id);
}
