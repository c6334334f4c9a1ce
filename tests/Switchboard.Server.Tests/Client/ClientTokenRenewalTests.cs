using Switchboard.Client;

namespace Switchboard.Server.Tests.Client;

/// <summary>How the SDK keeps a password session alive, against a loopback fake of the token endpoints.</summary>
public sealed class ClientTokenRenewalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static SwitchboardClient PasswordClient(FakeTokenServer server, TimeProvider? time = null) =>
        new(server.BaseAddress, SwitchboardCredentials.FromPassword("admin", FakeTokenServer.Password)) { Time = time ?? TimeProvider.System };

    [Fact]
    public async Task The_first_call_logs_in_once_and_later_calls_reuse_the_token()
    {
        await using var server = await FakeTokenServer.StartAsync();
        using var client = PasswordClient(server);

        await client.GetMeAsync().WaitAsync(Timeout);
        await client.GetMeAsync().WaitAsync(Timeout);

        Assert.Equal(1, server.Logins);
        Assert.Equal(0, server.Refreshes);
    }

    [Fact]
    public async Task A_token_near_expiry_is_refreshed_not_replaced_by_a_new_login()
    {
        await using var server = await FakeTokenServer.StartAsync();
        var clock = new ManualTimeProvider();
        using var client = PasswordClient(server, clock);
        await client.GetMeAsync().WaitAsync(Timeout);
        var first = client.CurrentAccessToken;

        clock.Advance(TimeSpan.FromSeconds(900 - 30));
        await client.GetMeAsync().WaitAsync(Timeout);

        Assert.Equal(1, server.Logins);
        Assert.Equal(1, server.Refreshes);
        Assert.NotEqual(first, client.CurrentAccessToken);
    }

    [Fact]
    public async Task A_rejected_token_is_renewed_and_the_request_retried_once()
    {
        await using var server = await FakeTokenServer.StartAsync();
        using var client = PasswordClient(server);
        await client.GetMeAsync().WaitAsync(Timeout);

        server.RevokeAccessTokens();
        var me = await client.GetMeAsync().WaitAsync(Timeout);

        Assert.Equal("admin", me.Username);
        Assert.Equal(1, server.Rejected);
        Assert.Equal(1, server.Refreshes);
    }

    [Fact]
    public async Task When_the_refresh_token_is_refused_the_client_logs_in_again()
    {
        await using var server = await FakeTokenServer.StartAsync();
        var clock = new ManualTimeProvider();
        using var client = PasswordClient(server, clock);
        await client.GetMeAsync().WaitAsync(Timeout);

        server.RevokeRefreshTokens();
        clock.Advance(TimeSpan.FromHours(1));
        await client.GetMeAsync().WaitAsync(Timeout);

        Assert.Equal(2, server.Logins);
        Assert.Equal(0, server.Refreshes);
    }

    [Fact]
    public async Task Many_concurrent_calls_with_an_expired_token_cause_one_refresh()
    {
        await using var server = await FakeTokenServer.StartAsync();
        var clock = new ManualTimeProvider();
        using var client = PasswordClient(server, clock);
        await client.GetMeAsync().WaitAsync(Timeout);

        clock.Advance(TimeSpan.FromHours(1));
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => client.GetMeAsync())).WaitAsync(Timeout);

        Assert.Equal(32, results.Length);
        Assert.Equal(1, server.Logins);
        Assert.Equal(1, server.Refreshes);
    }

    [Fact]
    public async Task A_refused_api_key_is_not_retried_and_surfaces_as_the_servers_problem()
    {
        await using var server = await FakeTokenServer.StartAsync();
        using var client = new SwitchboardClient(server.BaseAddress, SwitchboardCredentials.FromApiKey("sb_unknown"));

        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() => client.GetMeAsync().WaitAsync(Timeout));

        Assert.Equal(401, problem.Status);
        Assert.Equal("invalid_token", problem.Code);
        // An API key cannot be renewed, so the request was not retried.
        Assert.Equal(1, server.Rejected);
    }

    [Fact]
    public async Task An_anonymous_client_sends_no_credentials_and_gets_the_servers_401()
    {
        await using var server = await FakeTokenServer.StartAsync();
        using var client = new SwitchboardClient(server.BaseAddress);

        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() => client.GetMeAsync().WaitAsync(Timeout));

        Assert.Equal(401, problem.Status);
        Assert.Equal(0, server.Logins);
    }
}
