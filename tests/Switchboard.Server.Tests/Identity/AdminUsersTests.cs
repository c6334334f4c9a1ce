using System.Net;
using System.Net.Http.Json;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

public sealed class AdminUsersTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task Admins_create_get_update_and_page_through_users()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.CreateClient(await server.LoginAsync());

        var created = await PostAsync(admin, "v1/admin/users", new { username = "frank", password = Password, role = "admin", displayName = "Frank" }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("admin", created.GetProperty("role").GetString());
        for (var i = 0; i < 4; i++)
        {
            await PostAsync(admin, "v1/admin/users", new { username = $"user{i}", password = Password, role = "user" }, HttpStatusCode.Created);
        }

        var fetched = await GetAsync(admin, $"v1/admin/users/{id}", HttpStatusCode.OK);
        Assert.Equal("Frank", fetched.GetProperty("displayName").GetString());

        var updated = await PatchAsync(admin, $"v1/admin/users/{id}", new { role = "user", displayName = "Frank F." }, HttpStatusCode.OK);
        Assert.Equal("user", updated.GetProperty("role").GetString());
        Assert.Equal("Frank F.", updated.GetProperty("displayName").GetString());

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetAsync(admin, $"v1/admin/users?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().ToArray();
            Assert.InRange(items.Length, 1, 2);
            seen.AddRange(items.Select(u => u.GetProperty("username").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(["admin", "frank", "user0", "user1", "user2", "user3"], seen.Order());

        using var missing = await admin.GetAsync($"v1/admin/users/{Guid.CreateVersion7()}");
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, "not_found");
        using var badLimit = await admin.GetAsync("v1/admin/users?limit=0");
        await ProblemAssert.IsProblemAsync(badLimit, HttpStatusCode.BadRequest, "validation_failed");
        using var badCursor = await admin.GetAsync("v1/admin/users?cursor=nope");
        await ProblemAssert.IsProblemAsync(badCursor, HttpStatusCode.BadRequest, "validation_failed");
        using var badRole = await admin.PostAsJsonAsync("v1/admin/users", new { username = "gina", password = Password, role = "root" });
        await ProblemAssert.IsProblemAsync(badRole, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task The_last_enabled_admin_cannot_be_disabled_or_demoted()
    {
        await using var server = await RunningServer.StartAsync();
        var adminToken = await server.LoginAsync();
        using var admin = server.CreateClient(adminToken);
        var adminId = (await GetAsync(admin, "v1/auth/me", HttpStatusCode.OK)).GetProperty("id").GetString();

        using (var demote = await admin.PatchAsJsonAsync($"v1/admin/users/{adminId}", new { role = "user" }))
        {
            await ProblemAssert.IsProblemAsync(demote, HttpStatusCode.Conflict, "last_admin");
        }
        using (var disable = await admin.PatchAsJsonAsync($"v1/admin/users/{adminId}", new { disabled = true }))
        {
            await ProblemAssert.IsProblemAsync(disable, HttpStatusCode.Conflict, "last_admin");
        }

        await CreateUserAsync(server, adminToken, "second", Password, role: "admin");
        var demoted = await PatchAsync(admin, $"v1/admin/users/{adminId}", new { role = "user" }, HttpStatusCode.OK);
        Assert.Equal("user", demoted.GetProperty("role").GetString());

        // The role on the still-valid token is overridden by the current one.
        using var forbidden = await admin.GetAsync("v1/admin/users");
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task A_password_reset_sets_the_new_password_and_lifts_a_lockout()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Identity:MaxFailedLogins"] = "2" });
        var adminToken = await server.LoginAsync();
        using var admin = server.CreateClient(adminToken);
        var id = await CreateUserAsync(server, adminToken, "hank", Password);
        using var anonymous = server.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var failed = await anonymous.PostAsJsonAsync("v1/auth/token", new { username = "hank", password = "wrong guess " + i });
            await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using (var locked = await anonymous.PostAsJsonAsync("v1/auth/token", new { username = "hank", password = Password }))
        {
            await ProblemAssert.IsProblemAsync(locked, (HttpStatusCode)423, "account_locked");
        }

        using (var weak = await admin.PostAsJsonAsync($"v1/admin/users/{id}/password", new { password = "short" }))
        {
            await ProblemAssert.IsProblemAsync(weak, HttpStatusCode.BadRequest, "weak_password");
        }
        using (var reset = await admin.PostAsJsonAsync($"v1/admin/users/{id}/password", new { password = "the new password" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        await LoginAsync(server, "hank", "the new password");
    }

    [Fact]
    public async Task A_plain_user_cannot_reach_the_admin_endpoints()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateUserAsync(server, await server.LoginAsync(), "ivan", Password);
        var (token, _) = await LoginAsync(server, "ivan", Password);
        using var user = server.CreateClient(token);

        using var list = await user.GetAsync("v1/admin/users");
        using var create = await user.PostAsJsonAsync("v1/admin/users", new { username = "jill", password = Password, role = "admin" });

        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.Forbidden, "insufficient_scope");
        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.Forbidden, "insufficient_scope");
    }
}
