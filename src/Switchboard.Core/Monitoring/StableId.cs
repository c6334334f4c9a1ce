using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Monitoring;

/// <summary>A name-based UUID (version 8): the same text gives the same id on every node and after every restart.</summary>
public static class StableId
{
    public static Guid From(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
