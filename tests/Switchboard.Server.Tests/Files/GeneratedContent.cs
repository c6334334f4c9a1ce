using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Switchboard.Server.Tests.Files;

/// <summary>
/// Deterministic pseudo-random bytes of any length, computed rather than stored: byte <c>p</c> of a seed is a
/// byte of SplitMix64(seed, p / 8), so any range can be produced (or checked) without holding the whole file.
/// </summary>
internal static class GeneratedContent
{
    public static void Fill(ulong seed, long position, Span<byte> destination)
    {
        Span<byte> word = stackalloc byte[8];
        var index = position / 8;
        var skip = (int)(position % 8);
        var written = 0;
        while (written < destination.Length)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, SplitMix64(seed + (ulong)index));
            var take = Math.Min(8 - skip, destination.Length - written);
            word.Slice(skip, take).CopyTo(destination[written..]);
            written += take;
            skip = 0;
            index++;
        }
    }

    public static byte[] Bytes(ulong seed, long position, int length)
    {
        var bytes = new byte[length];
        Fill(seed, position, bytes);
        return bytes;
    }

    public static byte[] Sha256(ulong seed, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        for (long position = 0; position < length; position += buffer.Length)
        {
            var count = (int)Math.Min(buffer.Length, length - position);
            Fill(seed, position, buffer.AsSpan(0, count));
            hash.AppendData(buffer, 0, count);
        }
        return hash.GetHashAndReset();
    }

    private static ulong SplitMix64(ulong x)
    {
        x = unchecked(x * 0x9E3779B97F4A7C15UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }
}
