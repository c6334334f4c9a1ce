using Switchboard.Identity;

namespace Switchboard.Engine.Tests.Identity;

/// <summary>The contract of <see cref="IIdentityStore"/>; every engine runs it unchanged through a subclass.</summary>
public abstract class IdentityStoreConformance : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Millisecond precision: every engine stores at least that.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);

    protected IIdentityStore Store { get; private set; } = null!;

    protected abstract Task<IIdentityStore> OpenAsync();

    protected abstract Task CloseAsync();

    public async Task InitializeAsync() => Store = await OpenAsync().WaitAsync(Timeout);

    public Task DisposeAsync() => CloseAsync().WaitAsync(Timeout);

    private static UserAccount NewUser(string username, string role = Roles.User, bool disabled = false) =>
        new(Guid.CreateVersion7(), username, "Display " + username, "hash-" + username, role, disabled, 0, null, Now, Now);

    private async Task<UserAccount> AddUserAsync(string username, string role = Roles.User, bool disabled = false)
    {
        var user = NewUser(username, role, disabled);
        Assert.True(await Store.CreateUserAsync(user).WaitAsync(Timeout));
        return user;
    }

    [Fact]
    public async Task A_created_user_reads_back_by_id_and_by_name_in_any_case()
    {
        var user = await AddUserAsync("Alice.Smith");

        Assert.Equal(user, await Store.GetUserAsync(user.Id).WaitAsync(Timeout));
        Assert.Equal(user, await Store.FindUserByNameAsync("alice.smith").WaitAsync(Timeout));
        Assert.Null(await Store.GetUserAsync(Guid.CreateVersion7()).WaitAsync(Timeout));
        Assert.Null(await Store.FindUserByNameAsync("bob").WaitAsync(Timeout));
    }

    [Fact]
    public async Task Users_are_found_by_username_prefix_in_any_case_in_username_order()
    {
        await AddUserAsync("Bobby");
        var smith = await AddUserAsync("bob_smith");
        await AddUserAsync("bobXsmith");
        await AddUserAsync("alice");

        var bob = await Store.SearchUsersAsync("BOB", 10).WaitAsync(Timeout);
        var underscore = await Store.SearchUsersAsync("bob_", 10).WaitAsync(Timeout);
        var limited = await Store.SearchUsersAsync("b", 2).WaitAsync(Timeout);
        var wildcard = await Store.SearchUsersAsync("%", 10).WaitAsync(Timeout);

        Assert.Equal(["bob_smith", "Bobby", "bobXsmith"], bob.Select(u => u.Username));
        Assert.Equal([smith], underscore);
        Assert.Equal(2, limited.Count);
        Assert.Empty(wildcard);
    }

    [Fact]
    public async Task A_username_differing_only_in_case_is_taken()
    {
        await AddUserAsync("carol");

        Assert.False(await Store.CreateUserAsync(NewUser("CAROL")).WaitAsync(Timeout));
        Assert.Equal(1, await Store.CountUsersAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Users_list_in_creation_order_a_page_at_a_time()
    {
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await AddUserAsync($"user{i}")).Id);
        }

        var first = await Store.ListUsersAsync(null, 2).WaitAsync(Timeout);
        var second = await Store.ListUsersAsync(first[^1].Id, 2).WaitAsync(Timeout);
        var third = await Store.ListUsersAsync(second[^1].Id, 2).WaitAsync(Timeout);

        // UUIDv7 ids: creation order across milliseconds, and one stable order within one.
        Assert.Equal(created.Order(), first.Concat(second).Concat(third).Select(u => u.Id));
        Assert.Single(third);
        Assert.Equal(5, await Store.CountUsersAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task An_update_writes_every_mutable_field()
    {
        var user = await AddUserAsync("dave");
        var changed = user with
        {
            DisplayName = null,
            PasswordHash = "new-hash",
            Role = Roles.Admin,
            Disabled = true,
            FailedLogins = 2,
            LockedUntil = Now.AddMinutes(5),
            UpdatedAt = Now.AddSeconds(1),
        };

        Assert.Equal(UserUpdateOutcome.Updated, await Store.UpdateUserAsync(changed, keepAnAdmin: false).WaitAsync(Timeout));
        Assert.Equal(changed, await Store.GetUserAsync(user.Id).WaitAsync(Timeout));
        Assert.Equal(UserUpdateOutcome.NotFound, await Store.UpdateUserAsync(NewUser("ghost"), keepAnAdmin: false).WaitAsync(Timeout));
    }

    [Fact]
    public async Task The_last_enabled_admin_cannot_be_demoted_or_disabled_but_one_of_two_can()
    {
        var first = await AddUserAsync("root", Roles.Admin);
        await AddUserAsync("disabled-admin", Roles.Admin, disabled: true);

        Assert.Equal(UserUpdateOutcome.LastAdmin, await Store.UpdateUserAsync(first with { Role = Roles.User }, keepAnAdmin: true).WaitAsync(Timeout));
        Assert.Equal(UserUpdateOutcome.LastAdmin, await Store.UpdateUserAsync(first with { Disabled = true }, keepAnAdmin: true).WaitAsync(Timeout));
        Assert.Equal(UserUpdateOutcome.Updated, await Store.UpdateUserAsync(first with { DisplayName = "Root" }, keepAnAdmin: true).WaitAsync(Timeout));
        Assert.Equal(Roles.Admin, (await Store.GetUserAsync(first.Id).WaitAsync(Timeout))!.Role);

        await AddUserAsync("second-root", Roles.Admin);
        Assert.Equal(UserUpdateOutcome.Updated, await Store.UpdateUserAsync(first with { Role = Roles.User }, keepAnAdmin: true).WaitAsync(Timeout));
        Assert.Equal(Roles.User, (await Store.GetUserAsync(first.Id).WaitAsync(Timeout))!.Role);
    }

    [Fact]
    public async Task Failed_logins_lock_on_the_last_allowed_failure_and_the_counter_starts_again()
    {
        var user = await AddUserAsync("erin");
        var until = Now.AddMinutes(5);

        Assert.False(await Store.RecordFailedLoginAsync(user.Id, 3, until).WaitAsync(Timeout));
        Assert.False(await Store.RecordFailedLoginAsync(user.Id, 3, until).WaitAsync(Timeout));
        Assert.Equal(2, (await Store.GetUserAsync(user.Id).WaitAsync(Timeout))!.FailedLogins);
        Assert.True(await Store.RecordFailedLoginAsync(user.Id, 3, until).WaitAsync(Timeout));

        var locked = (await Store.GetUserAsync(user.Id).WaitAsync(Timeout))!;
        Assert.Equal(until, locked.LockedUntil);
        Assert.Equal(0, locked.FailedLogins);

        await Store.ResetFailedLoginsAsync(user.Id).WaitAsync(Timeout);
        var reset = (await Store.GetUserAsync(user.Id).WaitAsync(Timeout))!;
        Assert.Null(reset.LockedUntil);
        Assert.Equal(0, reset.FailedLogins);
        Assert.False(await Store.RecordFailedLoginAsync(Guid.CreateVersion7(), 3, until).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_refresh_token_rotates_exactly_once()
    {
        var user = await AddUserAsync("frank");
        var family = Guid.CreateVersion7();
        var first = NewToken(user.Id, family, "h1");
        await Store.CreateRefreshTokenAsync(first).WaitAsync(Timeout);
        Assert.Equal(first, await Store.FindRefreshTokenAsync("h1").WaitAsync(Timeout));

        var second = NewToken(user.Id, family, "h2");
        Assert.True(await Store.RotateRefreshTokenAsync(first.Id, second, Now.AddMinutes(1)).WaitAsync(Timeout));
        Assert.False(await Store.RotateRefreshTokenAsync(first.Id, NewToken(user.Id, family, "h3"), Now.AddMinutes(2)).WaitAsync(Timeout));

        Assert.Equal(Now.AddMinutes(1), (await Store.FindRefreshTokenAsync("h1").WaitAsync(Timeout))!.UsedAt);
        Assert.Equal(second, await Store.FindRefreshTokenAsync("h2").WaitAsync(Timeout));
        Assert.Null(await Store.FindRefreshTokenAsync("h3").WaitAsync(Timeout));
    }

    [Fact]
    public async Task Concurrent_rotations_of_one_token_let_exactly_one_win()
    {
        var user = await AddUserAsync("gina");
        var family = Guid.CreateVersion7();
        var token = NewToken(user.Id, family, "shared");
        await Store.CreateRefreshTokenAsync(token).WaitAsync(Timeout);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Store.RotateRefreshTokenAsync(token.Id, NewToken(user.Id, family, "next" + i), Now))).WaitAsync(Timeout);

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Revoking_a_family_or_a_user_revokes_all_their_tokens_and_nothing_else()
    {
        var user = await AddUserAsync("hank");
        var other = await AddUserAsync("ivy");
        var family = Guid.CreateVersion7();
        await Store.CreateRefreshTokenAsync(NewToken(user.Id, family, "a1")).WaitAsync(Timeout);
        await Store.RotateRefreshTokenAsync((await Store.FindRefreshTokenAsync("a1").WaitAsync(Timeout))!.Id, NewToken(user.Id, family, "a2"), Now).WaitAsync(Timeout);
        await Store.CreateRefreshTokenAsync(NewToken(user.Id, Guid.CreateVersion7(), "b1")).WaitAsync(Timeout);
        await Store.CreateRefreshTokenAsync(NewToken(other.Id, Guid.CreateVersion7(), "c1")).WaitAsync(Timeout);

        await Store.RevokeRefreshTokenFamilyAsync(family, Now).WaitAsync(Timeout);
        Assert.Equal(Now, (await Store.FindRefreshTokenAsync("a1").WaitAsync(Timeout))!.RevokedAt);
        Assert.Equal(Now, (await Store.FindRefreshTokenAsync("a2").WaitAsync(Timeout))!.RevokedAt);
        Assert.Null((await Store.FindRefreshTokenAsync("b1").WaitAsync(Timeout))!.RevokedAt);
        Assert.False(await Store.RotateRefreshTokenAsync((await Store.FindRefreshTokenAsync("a2").WaitAsync(Timeout))!.Id, NewToken(user.Id, family, "a3"), Now).WaitAsync(Timeout));

        await Store.RevokeUserRefreshTokensAsync(user.Id, Now.AddSeconds(1)).WaitAsync(Timeout);
        Assert.Equal(Now.AddSeconds(1), (await Store.FindRefreshTokenAsync("b1").WaitAsync(Timeout))!.RevokedAt);
        Assert.Equal(Now, (await Store.FindRefreshTokenAsync("a1").WaitAsync(Timeout))!.RevokedAt);
        Assert.Null((await Store.FindRefreshTokenAsync("c1").WaitAsync(Timeout))!.RevokedAt);
    }

    [Fact]
    public async Task Api_keys_read_back_list_per_owner_by_descending_id_and_revoke_once()
    {
        var owner = await AddUserAsync("jack");
        var other = await AddUserAsync("kate");
        var first = NewKey(owner.Id, "ci", ["broker:publish:orders.*", "apikeys:manage"], Now.AddDays(30));
        var second = NewKey(owner.Id, "deploy", ["users:read"], null);
        var theirs = NewKey(other.Id, "theirs", ["*"], null);
        foreach (var key in new[] { first, second, theirs })
        {
            await Store.CreateApiKeyAsync(key).WaitAsync(Timeout);
        }

        AssertKey(first, await Store.GetApiKeyAsync(first.Id).WaitAsync(Timeout));
        Assert.Null(await Store.GetApiKeyAsync(Guid.CreateVersion7()).WaitAsync(Timeout));
        Assert.Equal(new[] { first.Id, second.Id }.OrderDescending(), (await Store.ListApiKeysAsync(owner.Id).WaitAsync(Timeout)).Select(k => k.Id));
        Assert.Equal(new[] { first.Id, second.Id, theirs.Id }.OrderDescending(), (await Store.ListApiKeysAsync(null).WaitAsync(Timeout)).Select(k => k.Id));

        Assert.True(await Store.RevokeApiKeyAsync(first.Id, Now.AddMinutes(1)).WaitAsync(Timeout));
        Assert.False(await Store.RevokeApiKeyAsync(first.Id, Now.AddMinutes(2)).WaitAsync(Timeout));
        Assert.False(await Store.RevokeApiKeyAsync(Guid.CreateVersion7(), Now).WaitAsync(Timeout));
        Assert.Equal(Now.AddMinutes(1), (await Store.GetApiKeyAsync(first.Id).WaitAsync(Timeout))!.RevokedAt);

        await Store.TouchApiKeyAsync(second.Id, Now.AddMinutes(3)).WaitAsync(Timeout);
        Assert.Equal(Now.AddMinutes(3), (await Store.GetApiKeyAsync(second.Id).WaitAsync(Timeout))!.LastUsedAt);
    }

    private static void AssertKey(ApiKey expected, ApiKey? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Scopes = [] }, actual with { Scopes = [] });
        Assert.Equal(expected.Scopes, actual.Scopes);
    }

    private static RefreshToken NewToken(Guid userId, Guid family, string hash) =>
        new(Guid.CreateVersion7(), family, userId, hash, Now, Now.AddDays(30), null, null);

    private static ApiKey NewKey(Guid owner, string name, string[] scopes, DateTimeOffset? expiresAt) =>
        new(Guid.CreateVersion7(), owner, name, "hash-" + name, scopes, Now, expiresAt, null, null);
}
