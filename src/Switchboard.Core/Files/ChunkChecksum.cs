using System.Security.Cryptography;

namespace Switchboard.Files;

/// <summary>A chunk's expected digest from <c>Upload-Checksum</c>.</summary>
public sealed record ChunkChecksum(string Algorithm, byte[] Digest)
{
    public IncrementalHash CreateHash() =>
        IncrementalHash.CreateHash(Algorithm == "sha1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256);
}
