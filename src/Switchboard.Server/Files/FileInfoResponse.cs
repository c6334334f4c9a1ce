using Switchboard.Files;

namespace Switchboard.Server.Files;

/// <summary>A file's metadata as <c>GET /v1/files/{id}/info</c> and upload creation return it.</summary>
/// <param name="Sha256">Lower-case hex; the verified hash once complete, before that the declared one (if any).</param>
internal sealed record FileInfoResponse(
    Guid Id,
    string Name,
    string ContentType,
    long Length,
    long Offset,
    string? Sha256,
    FileStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? CompletedAt,
    string Location)
{
    public static FileInfoResponse From(StoredFile file) => new(
        file.Id, file.Name, file.ContentType, file.Length, file.Offset, file.Sha256 ?? file.ExpectedSha256, file.Status,
        file.CreatedAt, file.ExpiresAt, file.CompletedAt, FilesApi.LocationOf(file.Id));
}
