using System.Security.Claims;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Tests.Platform;

public sealed class RateLimitPartitionTests
{
    [Fact]
    public void Anonymous_callers_have_no_principal_key()
    {
        Assert.Null(RateLimiting.PrincipalKey(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    [Fact]
    public void A_user_is_limited_by_subject()
    {
        Assert.Equal("user:u1", RateLimiting.PrincipalKey(Principal(("sub", "u1"), ("sb_kind", "user"))));
    }

    [Fact]
    public void An_api_key_is_limited_by_its_key_id_when_present_and_its_subject_otherwise()
    {
        Assert.Equal("key:k1", RateLimiting.PrincipalKey(Principal(("sub", "owner"), ("sb_kind", "api_key"), (RateLimiting.ApiKeyIdClaim, "k1"))));
        Assert.Equal("key:owner", RateLimiting.PrincipalKey(Principal(("sub", "owner"), ("sb_kind", "api_key"))));
    }

    [Fact]
    public void Two_keys_of_one_owner_have_separate_budgets()
    {
        var first = RateLimiting.PrincipalKey(Principal(("sub", "owner"), ("sb_kind", "api_key"), (RateLimiting.ApiKeyIdClaim, "k1")));
        var second = RateLimiting.PrincipalKey(Principal(("sub", "owner"), ("sb_kind", "api_key"), (RateLimiting.ApiKeyIdClaim, "k2")));
        var owner = RateLimiting.PrincipalKey(Principal(("sub", "owner"), ("sb_kind", "user")));

        Assert.Equal(3, new[] { first, second, owner }.Distinct().Count());
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
}
