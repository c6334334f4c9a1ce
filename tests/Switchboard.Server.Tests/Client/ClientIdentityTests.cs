using Switchboard.Client;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Client;

/// <summary>The SDK against the identity endpoints: login, refresh, logout, me, admin users, API keys.</summary>
public sealed class ClientIdentityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static SwitchboardClient AdminClient(RunningServer server) =>
        new(server.BaseAddress, SwitchboardCredentials.FromPassword("admin", RunningServer.AdminPassword));

    [Fact]
    public async Task Password_credentials_log_in_on_first_use()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = AdminClient(server);

        var me = await client.GetMeAsync().WaitAsync(Timeout);

        Assert.Equal("admin", me.Username);
        Assert.Equal("admin", me.Role);
        Assert.Equal("user", me.Kind);
    }

    [Fact]
    public async Task A_wrong_password_is_an_invalid_credentials_exception()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new SwitchboardClient(server.BaseAddress);

        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() => client.LoginAsync("admin", "not-the-password").WaitAsync(Timeout));

        Assert.Equal(401, problem.Status);
        Assert.Equal("invalid_credentials", problem.Code);
        Assert.False(string.IsNullOrEmpty(problem.TraceId));
    }

    [Fact]
    public async Task Login_then_refresh_rotates_the_tokens_and_the_old_refresh_token_stops_working()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new SwitchboardClient(server.BaseAddress);

        var login = await client.LoginAsync("admin", RunningServer.AdminPassword).WaitAsync(Timeout);
        var refreshed = await client.RefreshAsync().WaitAsync(Timeout);
        var me = await client.GetMeAsync().WaitAsync(Timeout);
        using var other = new SwitchboardClient(server.BaseAddress);
        var reuse = await Assert.ThrowsAsync<SwitchboardApiException>(() => other.RefreshAsync(login.RefreshToken).WaitAsync(Timeout));

        Assert.Equal("Bearer", login.TokenType);
        Assert.True(login.ExpiresIn > 0);
        Assert.NotEqual(login.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(refreshed.AccessToken, client.CurrentAccessToken);
        Assert.Equal("admin", me.Username);
        Assert.Equal(401, reuse.Status);
        Assert.Contains(reuse.Code, new[] { "invalid_refresh_token", "refresh_token_reused" });
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new SwitchboardClient(server.BaseAddress);
        var login = await client.LoginAsync("admin", RunningServer.AdminPassword).WaitAsync(Timeout);

        await client.LogoutAsync().WaitAsync(Timeout);
        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() => client.RefreshAsync(login.RefreshToken).WaitAsync(Timeout));

        Assert.Null(client.CurrentAccessToken);
        Assert.Equal(401, problem.Status);
    }

    [Fact]
    public async Task The_access_token_is_refreshed_before_it_expires()
    {
        await using var server = await RunningServer.StartAsync();
        var clock = new ManualTimeProvider();
        using var client = new SwitchboardClient(server.BaseAddress) { Time = clock };
        var login = await client.LoginAsync("admin", RunningServer.AdminPassword).WaitAsync(Timeout);

        // Within the last tenth of the token's life (at most a minute) the client renews first.
        clock.Advance(TimeSpan.FromSeconds(login.ExpiresIn) - TimeSpan.FromSeconds(5));
        var me = await client.GetMeAsync().WaitAsync(Timeout);

        Assert.Equal("admin", me.Username);
        Assert.NotEqual(login.AccessToken, client.CurrentAccessToken);
        // It was a refresh, not a new login: the first refresh token has been used up.
        using var other = new SwitchboardClient(server.BaseAddress);
        await Assert.ThrowsAsync<SwitchboardApiException>(() => other.RefreshAsync(login.RefreshToken).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_rejected_token_is_renewed_once_and_the_request_retried()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = AdminClient(server);
        await client.GetMeAsync().WaitAsync(Timeout);
        client.ReplaceAccessToken("not-a-valid-token", expiresAt: DateTimeOffset.UtcNow.AddHours(1));

        var me = await client.GetMeAsync().WaitAsync(Timeout);

        Assert.Equal("admin", me.Username);
        Assert.NotEqual("not-a-valid-token", client.CurrentAccessToken);
    }

    [Fact]
    public async Task Concurrent_calls_needing_a_new_token_share_one_renewal()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = AdminClient(server);
        await client.GetMeAsync().WaitAsync(Timeout);
        client.ReplaceAccessToken("not-a-valid-token", expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetMeAsync())).WaitAsync(Timeout);

        Assert.All(results, me => Assert.Equal("admin", me.Username));
    }

    [Fact]
    public async Task Update_me_changes_the_display_name_and_the_password()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = AdminClient(server);
        await admin.CreateUserAsync(new CreateUserRequest("carol", "carol-password-1", "user")).WaitAsync(Timeout);
        using var carol = new SwitchboardClient(server.BaseAddress, SwitchboardCredentials.FromPassword("carol", "carol-password-1"));

        var renamed = await carol.UpdateMeAsync(new UpdateMeRequest(DisplayName: "Carol C.")).WaitAsync(Timeout);
        await carol.UpdateMeAsync(new UpdateMeRequest(CurrentPassword: "carol-password-1", NewPassword: "carol-password-2")).WaitAsync(Timeout);
        using var again = new SwitchboardClient(server.BaseAddress);
        var tokens = await again.LoginAsync("carol", "carol-password-2").WaitAsync(Timeout);

        Assert.Equal("Carol C.", renamed.DisplayName);
        Assert.Equal("carol", renamed.Username);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    [Fact]
    public async Task Admins_create_list_read_update_and_reset_users()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = AdminClient(server);

        var created = await admin.CreateUserAsync(new CreateUserRequest("dave", "dave-password-1", "user", "Dave")).WaitAsync(Timeout);
        await admin.CreateUserAsync(new CreateUserRequest("erin", "erin-password-1", "user")).WaitAsync(Timeout);
        var read = await admin.GetUserAsync(created.Id).WaitAsync(Timeout);
        var firstPage = await admin.ListUsersAsync(limit: 1).WaitAsync(Timeout);
        var secondPage = await admin.ListUsersAsync(limit: 1, cursor: firstPage.NextCursor).WaitAsync(Timeout);
        var all = await admin.ListUsersAsync(limit: 100).WaitAsync(Timeout);
        var disabled = await admin.UpdateUserAsync(created.Id, new UpdateUserRequest(Disabled: true)).WaitAsync(Timeout);
        await admin.UpdateUserAsync(created.Id, new UpdateUserRequest(Disabled: false)).WaitAsync(Timeout);
        await admin.ResetUserPasswordAsync(created.Id, "dave-password-2").WaitAsync(Timeout);
        using var dave = new SwitchboardClient(server.BaseAddress);
        await dave.LoginAsync("dave", "dave-password-2").WaitAsync(Timeout);
        var missing = await Assert.ThrowsAsync<SwitchboardApiException>(() => admin.GetUserAsync(Guid.CreateVersion7()).WaitAsync(Timeout));

        Assert.Equal("dave", created.Username);
        Assert.Equal("Dave", created.DisplayName);
        Assert.Equal("user", created.Role);
        Assert.Equal(created, read);
        Assert.Single(firstPage.Items);
        Assert.NotNull(firstPage.NextCursor);
        Assert.Single(secondPage.Items);
        Assert.NotEqual(firstPage.Items[0].Id, secondPage.Items[0].Id);
        Assert.Equal(["admin", "dave", "erin"], all.Items.Select(u => u.Username).Order());
        Assert.True(disabled.Disabled);
        Assert.Equal("not_found", missing.Code);
    }

    [Fact]
    public async Task A_user_may_not_use_the_admin_operations()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = AdminClient(server);
        await admin.CreateUserAsync(new CreateUserRequest("frank", "frank-password-1")).WaitAsync(Timeout);
        using var frank = new SwitchboardClient(server.BaseAddress, SwitchboardCredentials.FromPassword("frank", "frank-password-1"));

        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() => frank.ListUsersAsync().WaitAsync(Timeout));

        Assert.Equal(403, problem.Status);
    }

    [Fact]
    public async Task Api_keys_are_created_used_listed_and_revoked()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = AdminClient(server);

        var key = await admin.CreateApiKeyAsync(new CreateApiKeyRequest("orders-service", ["broker:publish:orders.*"])).WaitAsync(Timeout);
        using var service = new SwitchboardClient(server.BaseAddress, SwitchboardCredentials.FromApiKey(key.Key));
        var me = await service.GetMeAsync().WaitAsync(Timeout);
        var listed = await admin.ListApiKeysAsync().WaitAsync(Timeout);
        await admin.RevokeApiKeyAsync(key.Id).WaitAsync(Timeout);
        var refused = await Assert.ThrowsAsync<SwitchboardApiException>(() => service.GetMeAsync().WaitAsync(Timeout));
        var afterRevoke = await admin.ListApiKeysAsync().WaitAsync(Timeout);

        Assert.StartsWith("sb_", key.Key);
        Assert.Equal(["broker:publish:orders.*"], key.Scopes);
        Assert.Equal("api_key", me.Kind);
        Assert.Contains("broker:publish:orders.*", me.Scopes);
        var entry = Assert.Single(listed, k => k.Id == key.Id);
        Assert.Equal("orders-service", entry.Name);
        Assert.Null(entry.RevokedAt);
        Assert.Equal(401, refused.Status);
        Assert.Equal("invalid_api_key", refused.Code);
        Assert.NotNull(Assert.Single(afterRevoke, k => k.Id == key.Id).RevokedAt);
    }

    [Fact]
    public async Task Register_creates_a_user_who_can_log_in()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new SwitchboardClient(server.BaseAddress);

        var user = await client.RegisterAsync("grace", "grace-password-1", "Grace").WaitAsync(Timeout);
        var tokens = await client.LoginAsync("grace", "grace-password-1").WaitAsync(Timeout);
        var taken = await Assert.ThrowsAsync<SwitchboardApiException>(() => client.RegisterAsync("grace", "grace-password-1").WaitAsync(Timeout));

        Assert.Equal("grace", user.Username);
        Assert.Equal("user", user.Role);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
        Assert.Equal("username_taken", taken.Code);
    }
}
