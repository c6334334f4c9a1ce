namespace Switchboard.Files;

/// <summary>What a client declares when it creates an upload (tus <c>Upload-Length</c> and <c>Upload-Metadata</c>).</summary>
/// <param name="Sha256">The whole file's SHA-256 as hex or base64; null when not declared (the server computes and keeps it anyway).</param>
public sealed record FileUpload(long Length, string? Name, string? ContentType, string? Sha256);
