using System.Text;

namespace Switchboard.Kv;

/// <summary>Turns a key prefix into a range both engines can walk with their key index.</summary>
public static class KvPrefix
{
    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>, in code point
    /// order (which is UTF-8 byte order, the order both engines sort keys in); null when there is none.
    /// </summary>
    public static string? UpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last >= 0x10FFFF)
            {
                continue;
            }
            var next = last + 1 == 0xD800 ? 0xE000 : last + 1;
            var bound = new StringBuilder(prefix.Length + 1);
            foreach (var rune in runes)
            {
                bound.Append(rune.ToString());
            }
            return bound.Append(new Rune(next).ToString()).ToString();
        }
        return null;
    }
}
