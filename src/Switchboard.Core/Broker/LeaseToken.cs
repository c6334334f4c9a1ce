using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using Switchboard.Errors;

namespace Switchboard.Broker;

/// <summary>
/// The fenced proof of one delivery: message id, delivery number and a random nonce, written as unpadded
/// base64url. Every delivery gets a new token, so a token from an earlier delivery can never settle a later one.
/// Engines check all three parts; the token itself grants nothing without the engine's matching state.
/// </summary>
public readonly record struct LeaseToken(Guid MessageId, int Delivery, ulong Nonce)
{
    private const byte Version = 1;
    private const int ByteLength = 1 + 16 + 4 + 8;
    private static readonly int TextLength = Base64Url.GetEncodedLength(ByteLength);

    public static LeaseToken New(Guid messageId, int delivery) => new(messageId, delivery, BrokerRandom.NextUInt64());

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        bytes[0] = Version;
        MessageId.TryWriteBytes(bytes.Slice(1, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(bytes.Slice(17, 4), Delivery);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.Slice(21, 8), Nonce);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Parses strictly: exact length, base64url alphabet, known version, a positive delivery number.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out LeaseToken? token)
    {
        token = null;
        if (text is null || text.Length != TextLength)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }
        Span<byte> bytes = stackalloc byte[ByteLength];
        try
        {
            // TryDecodeFromChars reports only a short destination; malformed input still throws.
            if (!Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != ByteLength || bytes[0] != Version)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            return false;
        }
        var delivery = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(17, 4));
        if (delivery < 1)
        {
            return false;
        }
        var parsed = new LeaseToken(new Guid(bytes.Slice(1, 16), bigEndian: true), delivery, BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(21, 8)));
        // Re-encoding must give the same text, so non-canonical spellings of the same bytes are refused.
        if (!string.Equals(parsed.ToString(), text, StringComparison.Ordinal))
        {
            return false;
        }
        token = parsed;
        return true;
    }

    /// <summary>Parses every token or throws <see cref="ErrorCodes.InvalidLease"/> naming the first bad one.</summary>
    public static IReadOnlyList<LeaseToken> ParseAll(IReadOnlyList<string?>? texts)
    {
        if (texts is null || texts.Count == 0)
        {
            throw new SwitchboardException(ErrorCodes.ValidationFailed, "Send at least one lease token in 'leases'.",
                new Dictionary<string, string[]> { ["leases"] = ["Send at least one lease token."] });
        }
        var tokens = new LeaseToken[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            if (!TryParse(texts[i], out var token))
            {
                throw new SwitchboardException(ErrorCodes.InvalidLease,
                    $"leases[{i}] is not a lease token; use the 'lease' value exactly as a receive returned it.");
            }
            tokens[i] = token.Value;
        }
        return tokens;
    }
}
