using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Switchboard.Broker;

/// <summary>
/// Cryptographic randomness for message ids and lease nonces, drawn from the system generator in blocks: one
/// <see cref="RandomNumberGenerator.Fill"/> per message (what <see cref="Guid.CreateVersion7()"/> and a per-lease
/// fill cost) is a system call each, and the profile showed them on the writer thread and under the queue lock.
/// </summary>
public static class BrokerRandom
{
    private const int BlockSize = 4096;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_used;

    /// <summary>A random 64-bit value.</summary>
    public static ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <summary>An RFC 9562 version 7 id: 48 bits of Unix milliseconds, then 74 random bits, like <see cref="Guid.CreateVersion7()"/>.</summary>
    public static Guid NewVersion7(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Fill(bytes[6..]);
        var ms = now.ToUnixTimeMilliseconds();
        bytes[0] = (byte)(ms >> 40);
        bytes[1] = (byte)(ms >> 32);
        bytes[2] = (byte)(ms >> 24);
        bytes[3] = (byte)(ms >> 16);
        bytes[4] = (byte)(ms >> 8);
        bytes[5] = (byte)ms;
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    public static Guid NewVersion7() => NewVersion7(DateTimeOffset.UtcNow);

    private static void Fill(Span<byte> destination)
    {
        var block = t_block ??= new byte[BlockSize];
        if (t_used == 0 || t_used + destination.Length > BlockSize)
        {
            RandomNumberGenerator.Fill(block);
            t_used = 0;
        }
        var source = block.AsSpan(t_used, destination.Length);
        source.CopyTo(destination);
        // Each byte is handed out once.
        source.Clear();
        t_used += destination.Length;
    }
}
