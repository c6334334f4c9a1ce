using Switchboard.Identity;

namespace Switchboard.Core.Tests.Identity;

public sealed class ScopeSetTests
{
    [Fact]
    public void FromClaim_reads_space_separated_scopes_and_ignores_unknown_entries()
    {
        var set = ScopeSet.FromClaim("broker:publish:orders.* openid users:read  profile");

        Assert.Equal(["broker:publish:orders.*", "users:read"], set.Items.Select(s => s.ToString()));
        Assert.Equal("broker:publish:orders.* users:read", set.ToString());
    }

    [Fact]
    public void FromClaim_of_nothing_is_empty_and_allows_nothing()
    {
        var set = ScopeSet.FromClaim(null);

        Assert.Empty(set.Items);
        Assert.False(set.Allows("users", "read"));
    }

    [Fact]
    public void Allows_when_any_member_allows()
    {
        var set = ScopeSet.Parse(["broker:publish:orders.*", "users:read"]);

        Assert.True(set.Allows("broker", "publish", "orders.created"));
        Assert.True(set.Allows("users", "read"));
        Assert.False(set.Allows("users", "manage"));
        Assert.False(set.Allows("broker", "publish", "payments.created"));
    }

    [Fact]
    public void Everything_allows_anything_and_covers_any_set()
    {
        Assert.True(ScopeSet.Everything.Allows("anything", "at-all", "x.y"));
        Assert.True(ScopeSet.Everything.Covers(ScopeSet.Parse(["users:manage", "broker:*:>"])));
    }

    [Theory]
    [InlineData(new[] { "apikeys:manage", "broker:publish:orders.>" }, new[] { "apikeys:manage" }, true)]
    [InlineData(new[] { "apikeys:manage", "broker:publish:orders.>" }, new[] { "broker:publish:orders.eu.>" }, true)]
    [InlineData(new[] { "apikeys:manage", "broker:publish:orders.>" }, new[] { "broker:publish:orders.eu", "apikeys:manage" }, true)]
    [InlineData(new[] { "apikeys:manage", "broker:publish:orders.>" }, new[] { "users:manage" }, false)]
    [InlineData(new[] { "apikeys:manage", "broker:publish:orders.>" }, new[] { "broker:publish" }, false)]
    [InlineData(new[] { "apikeys:manage", "broker:publish:orders.>" }, new[] { "apikeys:manage", "broker:consume:orders.x" }, false)]
    [InlineData(new[] { "users:read" }, new[] { "*" }, false)]
    [InlineData(new[] { "users:read" }, new string[0], true)]
    public void Covers_refuses_any_requested_scope_beyond_the_set(string[] held, string[] requested, bool covers) =>
        Assert.Equal(covers, ScopeSet.Parse(held).Covers(ScopeSet.Parse(requested)));

    [Fact]
    public void Duplicates_are_kept_once()
    {
        var set = ScopeSet.Parse(["users:read", "users:read"]);

        Assert.Single(set.Items);
    }
}
