using Switchboard.Chat;

namespace Switchboard.Core.Tests.Chat;

public sealed class ChatNamesTests
{
    [Fact]
    public void A_pair_key_is_the_same_whichever_member_comes_first() =>
        Assert.Equal(ChatNames.PairKey("b-user", "a-user"), ChatNames.PairKey("a-user", "b-user"));

    [Fact]
    public void Different_pairs_have_different_keys() =>
        Assert.NotEqual(ChatNames.PairKey("ab", "c"), ChatNames.PairKey("a", "bc"));

    [Theory]
    [InlineData("quick brown fox", new[] { "quick", "brown", "fox" })]
    [InlineData("  QUICK   Quick quick ", new[] { "quick" })]
    [InlineData("\"quick\" AND fox*", new[] { "quick", "and", "fox" })]
    [InlineData("NEAR(quick fox, 2)", new[] { "near", "quick", "fox", "2" })]
    [InlineData("don't", new[] { "don", "t" })]
    [InlineData("Café crème", new[] { "café", "crème" })]
    [InlineData("日本語 テキスト", new[] { "日本語", "テキスト" })]
    [InlineData("😀 * \" ( ) ^ - : \\ %", new string[0])]
    [InlineData("a\u0000b", new[] { "a", "b" })]
    public void Search_words_are_runs_of_letters_and_digits_lower_cased_and_nothing_else(string query, string[] expected) =>
        Assert.Equal(expected, ChatNames.SearchWords(query, 16));

    [Fact]
    public void Search_words_stop_at_the_limit() =>
        Assert.Equal(["w0", "w1", "w2"], ChatNames.SearchWords(string.Join(' ', Enumerable.Range(0, 10).Select(i => "w" + i)), 3));

    [Theory]
    [InlineData(ConversationKind.Private)]
    [InlineData(ConversationKind.Group)]
    [InlineData(ConversationKind.Room)]
    public void Kinds_round_trip_through_their_stored_names(ConversationKind kind) =>
        Assert.Equal(kind, ChatNames.ParseKind(ChatNames.Kind(kind)));

    [Theory]
    [InlineData(MemberRole.Member)]
    [InlineData(MemberRole.Admin)]
    [InlineData(MemberRole.Owner)]
    public void Roles_round_trip_through_their_stored_names(MemberRole role) =>
        Assert.Equal(role, ChatNames.ParseRole(ChatNames.Role(role)));
}
