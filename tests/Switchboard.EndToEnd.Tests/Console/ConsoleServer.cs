using Switchboard.Client;
using Switchboard.EndToEnd.Tests.Infrastructure;

namespace Switchboard.EndToEnd.Tests.Console;

/// <summary>One real server for the console tests, with an admin and a plain <c>user</c> account.</summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public const string UserName = "console-user";
    public const string UserPassword = "console-user-password";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public ServerProcess Server { get; private set; } = null!;

    public SwitchboardClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(Path.Combine(Path.GetTempPath(), "switchboard-e2e", Guid.NewGuid().ToString("n"))).WaitAsync(Timeout);
        Admin = new SwitchboardClient(Server.BaseAddress, SwitchboardCredentials.FromPassword("admin", ServerProcess.AdminPassword));
        await Admin.CreateUserAsync(new CreateUserRequest(UserName, UserPassword)).WaitAsync(Timeout);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
