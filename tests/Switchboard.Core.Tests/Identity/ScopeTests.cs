using Switchboard.Identity;

namespace Switchboard.Core.Tests.Identity;

public sealed class ScopeTests
{
    [Theory]
    [InlineData("*", "*", "*", null)]
    [InlineData("broker:publish", "broker", "publish", null)]
    [InlineData("broker:publish:orders.*", "broker", "publish", "orders.*")]
    [InlineData("broker:*:orders.>", "broker", "*", "orders.>")]
    [InlineData("broker:publish:*", "broker", "publish", null)]
    [InlineData("broker:publish:>", "broker", "publish", null)]
    [InlineData("users:manage", "users", "manage", null)]
    [InlineData("api-keys_2:read", "api-keys_2", "read", null)]
    public void TryParse_reads_area_action_and_optional_pattern(string text, string area, string action, string? pattern)
    {
        Assert.True(Scope.TryParse(text, out var scope));
        Assert.Equal(new Scope(area, action, pattern), scope);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("broker")]
    [InlineData("broker:")]
    [InlineData(":publish")]
    [InlineData("Broker:publish")]
    [InlineData("broker:publish:orders..x")]
    [InlineData("broker:publish:orders.>.x")]
    [InlineData("broker publish")]
    [InlineData("broker:pub lish")]
    [InlineData("br@ker:publish")]
    public void TryParse_refuses_malformed_scopes(string? text)
    {
        Assert.False(Scope.TryParse(text, out var scope));
        Assert.Null(scope);
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => Scope.Parse(text));
        }
    }

    [Theory]
    [InlineData("*")]
    [InlineData("broker:publish")]
    [InlineData("broker:publish:orders.*")]
    public void ToString_round_trips(string text) => Assert.Equal(text, Scope.Parse(text).ToString());

    [Theory]
    [InlineData("broker:publish:orders.*", "broker", "publish", "orders.created", true)]
    [InlineData("broker:publish:orders.*", "broker", "publish", "payments.created", false)]
    [InlineData("broker:publish:orders.*", "broker", "consume", "orders.created", false)]
    [InlineData("broker:publish:orders.*", "broker", "publish", null, true)]
    [InlineData("broker:*", "broker", "consume", "anything", true)]
    [InlineData("broker:*", "chat", "send", null, false)]
    [InlineData("*", "users", "manage", null, true)]
    [InlineData("*:read", "users", "read", null, true)]
    [InlineData("*:read", "users", "manage", null, false)]
    public void Allows_checks_area_action_and_resource(string scope, string area, string action, string? resource, bool allowed) =>
        Assert.Equal(allowed, Scope.Parse(scope).Allows(area, action, resource));

    [Theory]
    [InlineData("broker:publish:orders.eu", "broker:publish:orders.*", true)]
    [InlineData("broker:publish:orders.*", "broker:publish", true)]
    [InlineData("broker:publish", "broker:publish:orders.*", false)]
    [InlineData("broker:publish", "broker:*", true)]
    [InlineData("broker:*", "broker:publish", false)]
    [InlineData("users:manage", "*", true)]
    [InlineData("*", "users:manage", false)]
    [InlineData("users:manage", "apikeys:manage", false)]
    public void IsWithin_is_true_only_when_the_other_scope_grants_everything_this_one_does(string inner, string outer, bool within) =>
        Assert.Equal(within, Scope.Parse(inner).IsWithin(Scope.Parse(outer)));
}
