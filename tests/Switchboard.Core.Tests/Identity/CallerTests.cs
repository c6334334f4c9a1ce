using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Core.Tests.Identity;

public sealed class CallerTests
{
    [Fact]
    public void An_admin_api_key_is_limited_to_its_own_scopes()
    {
        var caller = new Caller("id", "admin", Roles.Admin, CallerKind.ApiKey, ScopeSet.Everything, ScopeSet.Parse(["users:read"]));

        Assert.False(caller.IsAdmin);
        Assert.True(caller.Can("users", "read"));
        Assert.False(caller.Can("users", "manage"));
        var denied = Assert.Throws<SwitchboardException>(() => caller.Demand("users", "manage"));
        Assert.Equal(ErrorCodes.InsufficientScope, denied.Error);
        Assert.Equal("users:manage", denied.Extensions["requiredScope"]);
    }

    [Fact]
    public void A_user_key_cannot_exceed_the_role_even_when_its_scopes_say_more()
    {
        var caller = new Caller("id", "u", Roles.User, CallerKind.ApiKey, ScopeSet.Parse(["apikeys:manage"]), ScopeSet.Parse(["*"]));

        Assert.True(caller.Can("apikeys", "manage"));
        Assert.False(caller.Can("users", "read"));
    }
}
