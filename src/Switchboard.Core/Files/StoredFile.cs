namespace Switchboard.Files;

/// <summary>An upload's metadata as the database keeps it; the bytes live in an <see cref="IFileContentStore"/>.</summary>
/// <param name="Offset">Bytes received and durably written so far (equals <paramref name="Length"/> when complete).</param>
/// <param name="ExpectedSha256">The whole-file SHA-256 the client declared, as lower-case hex; null when none was declared.</param>
/// <param name="Sha256">The whole-file SHA-256 the server computed, as lower-case hex; set when the upload completes.</param>
/// <param name="ExpiresAt">When an incomplete upload is removed; null once complete.</param>
public sealed record StoredFile(
    Guid Id,
    string OwnerId,
    string Name,
    string ContentType,
    long Length,
    long Offset,
    string? ExpectedSha256,
    string? Sha256,
    FileStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? CompletedAt)
{
    public FileSummary ToSummary() => new(Id, OwnerId, Name, ContentType, Length, Sha256 ?? "", Status == FileStatus.Complete);
}
