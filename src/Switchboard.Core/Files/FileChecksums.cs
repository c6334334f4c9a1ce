using System.Security.Cryptography;
using Switchboard.Errors;

namespace Switchboard.Files;

/// <summary>Parses the checksums clients send: the whole file's SHA-256 and the tus per-chunk <c>Upload-Checksum</c>.</summary>
public static class FileChecksums
{
    /// <summary>The algorithms <c>Upload-Checksum</c> may name, as <c>Tus-Checksum-Algorithm</c> lists them.</summary>
    public static IReadOnlyList<string> ChunkAlgorithms { get; } = ["sha1", "sha256"];

    /// <summary>
    /// A whole-file SHA-256 as 64 hex digits (either case) or as base64 of the 32 bytes (standard or URL-safe,
    /// padding optional); returns lower-case hex. Throws a 400 naming <paramref name="field"/> otherwise.
    /// </summary>
    public static string ParseSha256(string text, string field)
    {
        var value = text.Trim();
        if (value.Length == 64 && value.All(char.IsAsciiHexDigit))
        {
            return value.ToLowerInvariant();
        }
        var base64 = value.Replace('-', '+').Replace('_', '/');
        if (base64.Length is 43)
        {
            base64 += "=";
        }
        var bytes = new byte[32];
        if (base64.Length == 44 && Convert.TryFromBase64String(base64, bytes, out var written) && written == 32)
        {
            return Convert.ToHexStringLower(bytes);
        }
        throw SwitchboardException.Validation(field, $"{field} must be the file's SHA-256 as 64 hex digits or as base64 of its 32 bytes.");
    }

    /// <summary>Parses <c>Upload-Checksum: &lt;algorithm&gt; &lt;base64&gt;</c>.</summary>
    public static ChunkChecksum ParseChunkChecksum(string header)
    {
        var parts = header.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new SwitchboardException(ErrorCodes.BadRequest, "Upload-Checksum must be '<algorithm> <base64 digest>', e.g. 'sha256 n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg='.");
        }
        var algorithm = parts[0].ToLowerInvariant();
        var size = algorithm switch
        {
            "sha1" => SHA1.HashSizeInBytes,
            "sha256" => SHA256.HashSizeInBytes,
            _ => throw new SwitchboardException(ErrorCodes.ChecksumAlgorithmUnsupported,
                $"Upload-Checksum names '{parts[0]}'; this server supports {string.Join(", ", ChunkAlgorithms)}."),
        };
        var digest = new byte[size];
        if (!Convert.TryFromBase64String(parts[1], digest, out var written) || written != size)
        {
            throw new SwitchboardException(ErrorCodes.BadRequest, $"Upload-Checksum's digest must be base64 of the {size}-byte {algorithm} digest.");
        }
        return new ChunkChecksum(algorithm, digest);
    }
}
