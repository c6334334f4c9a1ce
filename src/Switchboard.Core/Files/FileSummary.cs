namespace Switchboard.Files;

/// <summary>What other features need to know of an uploaded file.</summary>
/// <param name="Sha256">Lower-case hex of the whole file's SHA-256, verified when the last byte landed.</param>
public sealed record FileSummary(Guid Id, string OwnerId, string Name, string ContentType, long Length, string Sha256, bool Complete);
