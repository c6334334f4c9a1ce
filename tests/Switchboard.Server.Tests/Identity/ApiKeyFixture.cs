using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

/// <summary>One server with a plain user and a set of named keys, shared by the API-key scope matrix.</summary>
public sealed class ApiKeyFixture : IAsyncLifetime
{
    public const string UserPassword = "a long user password";

    public RunningServer Server { get; private set; } = null!;

    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Identity:UserScopes:0"] = "apikeys:manage",
            ["Identity:UserScopes:1"] = "broker:publish:orders.>",
        });
        var adminToken = await Server.LoginAsync();
        await CreateUserAsync(Server, adminToken, "erin", UserPassword);
        var (userToken, _) = await LoginAsync(Server, "erin", UserPassword);
        using var admin = Server.CreateClient(adminToken);
        using var user = Server.CreateClient(userToken);

        Keys["admin-all"] = await CreateKeyAsync(admin, "admin-all", "*");
        Keys["admin-users-read"] = await CreateKeyAsync(admin, "admin-users-read", "users:read");
        Keys["admin-users-manage"] = await CreateKeyAsync(admin, "admin-users-manage", "users:manage");
        Keys["user-apikeys"] = await CreateKeyAsync(user, "user-apikeys", "apikeys:manage");
        Keys["user-orders"] = await CreateKeyAsync(user, "user-orders", "broker:publish:orders.eu.>");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
