using System.Globalization;
using System.Text;
using Switchboard.Channels;

namespace Switchboard.Chat;

/// <summary>Names and keys of chat in their stored form.</summary>
public static class ChatNames
{
    public static string Kind(ConversationKind kind) => kind switch
    {
        ConversationKind.Private => "private",
        ConversationKind.Group => "group",
        ConversationKind.Contact => "contact",
        _ => "room",
    };

    public static ConversationKind ParseKind(string kind) => kind switch
    {
        "private" => ConversationKind.Private,
        "group" => ConversationKind.Group,
        "room" => ConversationKind.Room,
        "contact" => ConversationKind.Contact,
        _ => throw new InvalidOperationException($"Unknown stored conversation kind '{kind}'."),
    };

    public static string Role(MemberRole role) => role switch
    {
        MemberRole.Owner => "owner",
        MemberRole.Admin => "admin",
        _ => "member",
    };

    public static MemberRole ParseRole(string role) => role switch
    {
        "owner" => MemberRole.Owner,
        "admin" => MemberRole.Admin,
        "member" => MemberRole.Member,
        _ => throw new InvalidOperationException($"Unknown stored member role '{role}'."),
    };

    /// <summary>The unique key of a private conversation: both user ids in ordinal order, so either may create it.</summary>
    public static string PairKey(string a, string b) =>
        string.CompareOrdinal(a, b) <= 0 ? a + "\n" + b : b + "\n" + a;

    /// <summary>The unique key of a contact's conversation: one per contact, reused for every message they send.</summary>
    public static string ContactKey(ChannelContact contact) => "contact\n" + contact.Channel + "\n" + contact.Address;

    /// <summary>
    /// The words of a search query: runs of letters, digits and combining marks, lower-cased, which is how both engines
    /// split text. Everything else (quotes, <c>*</c>, <c>NEAR(</c>'s parenthesis, emoji) only separates words, so no
    /// input can be read as query syntax.
    /// </summary>
    public static IReadOnlyList<string> SearchWords(string query, int maxWords)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in query.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsLetterOrDigit(rune) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                current.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }
            Flush();
        }
        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0 && words.Count < maxWords)
            {
                var word = current.ToString();
                if (!words.Contains(word, StringComparer.Ordinal))
                {
                    words.Add(word);
                }
            }
            current.Clear();
        }
    }
}
