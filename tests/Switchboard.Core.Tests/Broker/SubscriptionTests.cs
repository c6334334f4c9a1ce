using Switchboard.Broker;

namespace Switchboard.Core.Tests.Broker;

public sealed class SubscriptionTests
{
    [Theory]
    [InlineData("orders.*", "orders.created", true)]
    [InlineData("orders.*", "orders.eu.created", false)]
    [InlineData("orders.>", "orders.eu.created", true)]
    [InlineData("orders.>", "orders", false)]
    [InlineData(">", "anything.at.all", true)]
    public void Subjects_match_by_nats_wildcards(string pattern, string subject, bool matches) =>
        Assert.Equal(matches, Subscribe(pattern).Matches(subject, null));

    [Fact]
    public void A_header_filter_needs_every_header_with_the_same_value()
    {
        var subscription = Subscribe("orders.*", new Dictionary<string, string> { ["region"] = "eu", ["tier"] = "gold" });

        Assert.True(subscription.Matches("orders.created", new Dictionary<string, string> { ["region"] = "eu", ["tier"] = "gold", ["x"] = "y" }));
        Assert.False(subscription.Matches("orders.created", new Dictionary<string, string> { ["region"] = "eu" }));
        Assert.False(subscription.Matches("orders.created", new Dictionary<string, string> { ["region"] = "EU", ["tier"] = "gold" }));
        Assert.False(subscription.Matches("orders.created", null));
    }

    private static Subscription Subscribe(string pattern, Dictionary<string, string>? headers = null) =>
        new(Guid.CreateVersion7(), "t", "q", pattern, headers ?? [], DateTimeOffset.UtcNow);
}
