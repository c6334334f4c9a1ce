using System.Text;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Identity;
using Switchboard.Operations;

namespace Switchboard.Server.Identity;

/// <summary>
/// At start-up: makes sure a signing key exists and, on an empty user table, creates the <c>admin</c> user.
/// Without <c>Identity:BootstrapAdminPassword</c> its password is random, shown once on the console and
/// written to <c>&lt;data&gt;/initial-admin-password</c> (mode 0600). There is never a default password.
/// </summary>
internal sealed partial class IdentityStartup(
    IServiceProvider services,
    SigningKeyRing ring,
    IOptions<DataOptions> data,
    ILogger<IdentityStartup> logger) : IHostedService
{
    public const string PasswordFileName = "initial-admin-password";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ring.EnsureCreated();
        // Resolved here, not in the constructor: the storage engine is opened by an earlier hosted service.
        var users = services.GetRequiredService<UserService>();
        var created = await users.EnsureBootstrapAdminAsync(cancellationToken).ConfigureAwait(false);
        if (created is not { GeneratedPassword: { } password } bootstrap)
        {
            if (created is not null)
            {
                LogConfiguredAdmin(logger, UserService.BootstrapAdminName);
            }
            return;
        }
        var file = data.Value.Resolve(PasswordFileName);
        PrivateFile.Write(file, Encoding.UTF8.GetBytes(password + "\n"));
        var banner = $"""

            ==================================================================
             Switchboard created the user '{bootstrap.User.Username}' with this password:

                 {password}

             It is shown only once and saved in {file} (mode 0600).
             Log in, change it (PATCH /v1/auth/me), then delete that file.
            ==================================================================

            """;
        // The password goes to the console once and never through the logger: log sinks (the rolling file,
        // collectors) keep what they receive, and a secret must not outlive this banner there.
        LogGeneratedAdmin(logger, bootstrap.User.Username, file);
        Console.WriteLine(banner);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = EventIds.Identity.GeneratedAdmin, Level = LogLevel.Warning, Message = "Created the initial admin user '{Username}' with a generated password, shown once on the console and saved in {File}")]
    private static partial void LogGeneratedAdmin(ILogger logger, string username, string file);

    [LoggerMessage(EventId = EventIds.Identity.ConfiguredAdmin, Level = LogLevel.Information, Message = "Created the initial admin user '{Username}' with the configured Identity:BootstrapAdminPassword")]
    private static partial void LogConfiguredAdmin(ILogger logger, string username);
}
