using Switchboard.Identity;

namespace Switchboard.Core.Tests.Identity;

public sealed class SubjectPatternTests
{
    [Theory]
    [InlineData("orders", true)]
    [InlineData("orders.eu.created", true)]
    [InlineData("orders.*", true)]
    [InlineData("orders.>", true)]
    [InlineData("*.created", true)]
    [InlineData(">", true)]
    [InlineData("", false)]
    [InlineData("orders..created", false)]
    [InlineData(".orders", false)]
    [InlineData("orders.", false)]
    [InlineData("orders.>.created", false)]
    [InlineData("orders.a*", false)]
    [InlineData("orders.>x", false)]
    [InlineData("orders created", false)]
    public void IsValid_accepts_dotted_tokens_with_whole_token_wildcards(string pattern, bool valid) =>
        Assert.Equal(valid, SubjectPattern.IsValid(pattern));

    [Theory]
    [InlineData("orders.*", "orders.created", true)]
    [InlineData("orders.*", "orders.eu.created", false)]
    [InlineData("orders.*", "orders", false)]
    [InlineData("orders.>", "orders.created", true)]
    [InlineData("orders.>", "orders.eu.created", true)]
    [InlineData("orders.>", "orders", false)]
    [InlineData("*.created", "orders.created", true)]
    [InlineData("*.created", "orders.updated", false)]
    [InlineData("orders.eu", "orders.eu", true)]
    [InlineData("orders.eu", "orders.us", false)]
    [InlineData(">", "anything.at.all", true)]
    [InlineData("a.*.c", "a.b.c", true)]
    [InlineData("a.*.c", "a.b.d", false)]
    public void Matches_star_takes_one_token_and_gt_takes_one_or_more(string pattern, string subject, bool matches) =>
        Assert.Equal(matches, SubjectPattern.Matches(pattern, subject));

    [Theory]
    [InlineData("orders.>", "orders.*", true)]
    [InlineData("orders.>", "orders.eu.>", true)]
    [InlineData("orders.>", "orders.eu", true)]
    [InlineData("orders.*", "orders.eu", true)]
    [InlineData("orders.*", "orders.>", false)]
    [InlineData("orders.*", "orders.eu.x", false)]
    [InlineData("orders.eu", "orders.*", false)]
    [InlineData("orders.eu", "orders.eu", true)]
    [InlineData("*.*", "orders.eu", true)]
    [InlineData("orders.>", "payments.eu", false)]
    [InlineData(">", "orders.>", true)]
    public void Covers_only_when_every_subject_of_the_inner_pattern_matches_the_outer(string outer, string inner, bool covers) =>
        Assert.Equal(covers, SubjectPattern.Covers(outer, inner));
}
