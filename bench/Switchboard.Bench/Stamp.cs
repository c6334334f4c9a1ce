using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;

namespace Switchboard.Bench;

/// A 1 KiB payload that starts with the send time: 19 decimal digits of Stopwatch ticks, then printable filler, so that
/// the JSON API carries it unchanged as text.
internal static class Stamp
{
    private const int Digits = 19;

    public static byte[] Create(long timestamp)
    {
        var payload = Filler();
        Utf8Formatter.TryFormat(timestamp, payload.AsSpan(0, Digits), out _, new StandardFormat('D', Digits));
        return payload;
    }

    /// Stopwatch ticks from the stamp to now, or null when the body carries no stamp.
    public static long? Age(ReadOnlySpan<byte> body, long now) =>
        body.Length >= Digits && Utf8Parser.TryParse(body[..Digits], out long sent, out var consumed) && consumed == Digits ? now - sent : null;

    public static long Now() => Stopwatch.GetTimestamp();

    public static byte[] Filler()
    {
        var payload = new byte[BenchSettings.PayloadBytes];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)('a' + i % 26);
        }
        return payload;
    }
}
