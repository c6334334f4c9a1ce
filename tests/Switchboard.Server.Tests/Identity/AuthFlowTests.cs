using System.Net;
using System.Net.Http.Json;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

public sealed class AuthFlowTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Register_login_me_refresh_and_logout_work_end_to_end()
    {
        await using var server = await RunningServer.StartAsync();
        using var anonymous = server.CreateClient();

        var user = await PostAsync(anonymous, "v1/auth/register", new { username = "alice", password = Password, displayName = "Alice" }, HttpStatusCode.Created);
        Assert.Equal("alice", user.GetProperty("username").GetString());
        Assert.Equal("Alice", user.GetProperty("displayName").GetString());
        Assert.Equal("user", user.GetProperty("role").GetString());
        Assert.False(user.GetProperty("disabled").GetBoolean());
        Assert.EndsWith("+00:00", user.GetProperty("createdAt").GetString());
        Assert.False(user.TryGetProperty("passwordHash", out _));

        using var login = await anonymous.PostAsJsonAsync("v1/auth/token", new { username = "alice", password = Password });
        var tokens = await ExpectAsync(login, HttpStatusCode.OK);
        Assert.Equal("Bearer", tokens.GetProperty("tokenType").GetString());
        Assert.Equal(15 * 60, tokens.GetProperty("expiresIn").GetInt32());
        Assert.Contains("no-store", login.Headers.CacheControl?.ToString());
        var access = tokens.GetProperty("accessToken").GetString()!;
        var refresh = tokens.GetProperty("refreshToken").GetString()!;

        using (var client = server.CreateClient(access))
        {
            var me = await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);
            Assert.Equal(user.GetProperty("id").GetString(), me.GetProperty("id").GetString());
            Assert.Equal("alice", me.GetProperty("username").GetString());
            Assert.Equal("Alice", me.GetProperty("displayName").GetString());
            Assert.Equal("user", me.GetProperty("role").GetString());
            Assert.Equal("user", me.GetProperty("kind").GetString());
            Assert.Equal(["apikeys:manage", "chat:use", "files:use"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        }

        var refreshed = await PostAsync(anonymous, "v1/auth/refresh", new { refreshToken = refresh }, HttpStatusCode.OK);
        var newRefresh = refreshed.GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(refresh, newRefresh);
        using (var client = server.CreateClient(refreshed.GetProperty("accessToken").GetString()))
        {
            await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);
        }

        using var logout = await anonymous.PostAsJsonAsync("v1/auth/logout", new { refreshToken = newRefresh });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var afterLogout = await anonymous.PostAsJsonAsync("v1/auth/refresh", new { refreshToken = newRefresh });
        await ProblemAssert.IsProblemAsync(afterLogout, HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task Reusing_a_used_refresh_token_revokes_the_whole_family_including_its_newest_token()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        var (_, first) = await LoginAsync(server, "admin", RunningServer.AdminPassword);
        var (_, otherSession) = await LoginAsync(server, "admin", RunningServer.AdminPassword);

        var second = (await PostAsync(client, "v1/auth/refresh", new { refreshToken = first }, HttpStatusCode.OK)).GetProperty("refreshToken").GetString()!;
        var third = (await PostAsync(client, "v1/auth/refresh", new { refreshToken = second }, HttpStatusCode.OK)).GetProperty("refreshToken").GetString()!;

        using var reuse = await client.PostAsJsonAsync("v1/auth/refresh", new { refreshToken = first });
        await ProblemAssert.IsProblemAsync(reuse, HttpStatusCode.Unauthorized, "refresh_token_reused");
        using var newest = await client.PostAsJsonAsync("v1/auth/refresh", new { refreshToken = third });
        await ProblemAssert.IsProblemAsync(newest, HttpStatusCode.Unauthorized, "invalid_refresh_token");

        // Another session of the same user is a different family and lives on.
        await PostAsync(client, "v1/auth/refresh", new { refreshToken = otherSession }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_answer()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var unknown = await client.PostAsJsonAsync("v1/auth/token", new { username = "nobody", password = Password });
        using var wrong = await client.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = Password });

        var a = await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.Unauthorized, "invalid_credentials");
        var b = await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_until_the_window_passes()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Identity:MaxFailedLogins"] = "3",
            ["Identity:LockoutMinutes"] = "0.05",
        });
        using var client = server.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var failed = await client.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = "wrong password " + i });
            await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using var locked = await client.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = RunningServer.AdminPassword });
        var problem = await ProblemAssert.IsProblemAsync(locked, (HttpStatusCode)423, "account_locked");
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() is > 0 and <= 3);

        // The window is three seconds; once it passes the right password works again.
        var unlocked = await PollAsync(async () =>
        {
            using var attempt = await client.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = RunningServer.AdminPassword });
            Assert.True(attempt.StatusCode is HttpStatusCode.OK or (HttpStatusCode)423, $"Unexpected {(int)attempt.StatusCode}");
            return attempt.StatusCode == HttpStatusCode.OK;
        });
        Assert.True(unlocked);
    }

    [Fact]
    public async Task Configured_user_scopes_replace_the_defaults()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Identity:UserScopes:0"] = "broker:consume" });
        using var anonymous = server.CreateClient();
        await PostAsync(anonymous, "v1/auth/register", new { username = "olga", password = Password }, HttpStatusCode.Created);
        var (access, _) = await LoginAsync(server, "olga", Password);
        using var client = server.CreateClient(access);

        var me = await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);

        Assert.Equal(["broker:consume"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        using var keys = await client.GetAsync("v1/api-keys");
        await ProblemAssert.IsProblemAsync(keys, HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task Registration_can_be_turned_off()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Identity:AllowRegistration"] = "false" });
        using var client = server.CreateClient();

        using var response = await client.PostAsJsonAsync("v1/auth/register", new { username = "mallory", password = Password });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "registration_disabled");
    }

    [Fact]
    public async Task Registration_validates_username_password_and_uniqueness()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Identity:MinPasswordLength"] = "12" });
        using var client = server.CreateClient();

        using var badName = await client.PostAsJsonAsync("v1/auth/register", new { username = "a b", password = Password });
        var problem = await ProblemAssert.IsProblemAsync(badName, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _));

        using var weak = await client.PostAsJsonAsync("v1/auth/register", new { username = "bob", password = "short pass" });
        await ProblemAssert.IsProblemAsync(weak, HttpStatusCode.BadRequest, "weak_password");

        await PostAsync(client, "v1/auth/register", new { username = "bob", password = Password }, HttpStatusCode.Created);
        using var taken = await client.PostAsJsonAsync("v1/auth/register", new { username = "BOB", password = Password });
        await ProblemAssert.IsProblemAsync(taken, HttpStatusCode.Conflict, "username_taken");

        using var notJson = await client.PostAsync("v1/auth/register", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(notJson, HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Changing_the_own_password_needs_the_current_one_and_ends_other_sessions()
    {
        await using var server = await RunningServer.StartAsync();
        using var anonymous = server.CreateClient();
        await PostAsync(anonymous, "v1/auth/register", new { username = "carol", password = Password }, HttpStatusCode.Created);
        var (access, refresh) = await LoginAsync(server, "carol", Password);
        using var client = server.CreateClient(access);

        using var wrong = await client.PatchAsJsonAsync("v1/auth/me", new { currentPassword = "not my password", newPassword = "a brand new password" });
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        using var missing = await client.PatchAsJsonAsync("v1/auth/me", new { newPassword = "a brand new password" });
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.Unauthorized, "invalid_credentials");

        var updated = await PatchAsync(client, "v1/auth/me",
            new { displayName = "Carol C.", currentPassword = Password, newPassword = "a brand new password" }, HttpStatusCode.OK);
        Assert.Equal("Carol C.", updated.GetProperty("displayName").GetString());

        using var old = await anonymous.PostAsJsonAsync("v1/auth/token", new { username = "carol", password = Password });
        await ProblemAssert.IsProblemAsync(old, HttpStatusCode.Unauthorized, "invalid_credentials");
        await LoginAsync(server, "carol", "a brand new password");
        using var oldSession = await anonymous.PostAsJsonAsync("v1/auth/refresh", new { refreshToken = refresh });
        await ProblemAssert.IsProblemAsync(oldSession, HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task A_password_change_retires_every_access_token_issued_before_it_and_a_new_login_works()
    {
        await using var server = await RunningServer.StartAsync();
        using var anonymous = server.CreateClient();
        await PostAsync(anonymous, "v1/auth/register", new { username = "erin", password = Password }, HttpStatusCode.Created);
        var (first, _) = await LoginAsync(server, "erin", Password);
        var (second, _) = await LoginAsync(server, "erin", Password);
        using var changer = server.CreateClient(first);
        using var otherDevice = server.CreateClient(second);
        await GetAsync(otherDevice, "v1/auth/me", HttpStatusCode.OK);

        await PatchAsync(changer, "v1/auth/me", new { currentPassword = Password, newPassword = "a brand new password" }, HttpStatusCode.OK);

        using (var stale = await otherDevice.GetAsync("v1/auth/me"))
        {
            await ProblemAssert.IsProblemAsync(stale, HttpStatusCode.Unauthorized, "invalid_token");
        }
        using (var own = await changer.GetAsync("v1/auth/me"))
        {
            await ProblemAssert.IsProblemAsync(own, HttpStatusCode.Unauthorized, "invalid_token");
        }
        var (fresh, _) = await LoginAsync(server, "erin", "a brand new password");
        using var renewed = server.CreateClient(fresh);
        await GetAsync(renewed, "v1/auth/me", HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_password_reset_retires_the_users_access_tokens()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.CreateClient(await server.LoginAsync());
        var id = await CreateUserAsync(server, await server.LoginAsync(), "frank", Password);
        var (access, _) = await LoginAsync(server, "frank", Password);
        using var user = server.CreateClient(access);
        await GetAsync(user, "v1/auth/me", HttpStatusCode.OK);

        using (var reset = await admin.PostAsJsonAsync($"v1/admin/users/{id}/password", new { password = "reset by the admin" }))
        {
            Assert.True(reset.IsSuccessStatusCode, $"{reset.StatusCode}: {await reset.Content.ReadAsStringAsync()}");
        }

        using var stale = await user.GetAsync("v1/auth/me");
        await ProblemAssert.IsProblemAsync(stale, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task A_disabled_user_is_refused_at_login_and_their_tokens_and_keys_stop_working()
    {
        await using var server = await RunningServer.StartAsync();
        var adminToken = await server.LoginAsync();
        var id = await CreateUserAsync(server, adminToken, "dave", Password);
        var (access, refresh) = await LoginAsync(server, "dave", Password);
        using var user = server.CreateClient(access);
        var key = await CreateKeyAsync(user, "dave's key", "apikeys:manage");
        using var keyClient = KeyClient(server, key, asBearer: false);
        using var admin = server.CreateClient(adminToken);
        using var anonymous = server.CreateClient();
        await GetAsync(user, "v1/auth/me", HttpStatusCode.OK);
        await GetAsync(keyClient, "v1/api-keys", HttpStatusCode.OK);

        var disabled = await PatchAsync(admin, $"v1/admin/users/{id}", new { disabled = true }, HttpStatusCode.OK);
        Assert.True(disabled.GetProperty("disabled").GetBoolean());

        using (var me = await user.GetAsync("v1/auth/me"))
        {
            await ProblemAssert.IsProblemAsync(me, HttpStatusCode.Unauthorized, "invalid_token");
        }
        using (var keys = await keyClient.GetAsync("v1/api-keys"))
        {
            await ProblemAssert.IsProblemAsync(keys, HttpStatusCode.Unauthorized, "invalid_api_key");
        }
        using (var login = await anonymous.PostAsJsonAsync("v1/auth/token", new { username = "dave", password = Password }))
        {
            await ProblemAssert.IsProblemAsync(login, HttpStatusCode.Forbidden, "account_disabled");
        }
        using (var again = await anonymous.PostAsJsonAsync("v1/auth/refresh", new { refreshToken = refresh }))
        {
            await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        await PatchAsync(admin, $"v1/admin/users/{id}", new { disabled = false }, HttpStatusCode.OK);
        await GetAsync(user, "v1/auth/me", HttpStatusCode.OK);
        await GetAsync(keyClient, "v1/api-keys", HttpStatusCode.OK);
        await LoginAsync(server, "dave", Password);
    }

    [Fact]
    public async Task Missing_credentials_are_a_401_problem_with_a_challenge()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("v1/auth/me");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition().WaitAsync(TestTimeout))
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }
}
