using System.Net;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

public sealed class RestartTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task A_restart_keeps_users_keys_and_still_valid_access_tokens()
    {
        await using var server = await RunningServer.StartAsync();
        var adminToken = await server.LoginAsync();
        await CreateUserAsync(server, adminToken, "kim", Password);
        var (userToken, refresh) = await LoginAsync(server, "kim", Password);
        string key;
        using (var user = server.CreateClient(userToken))
        {
            key = await CreateKeyAsync(user, "survives", "apikeys:manage");
        }
        var keyFiles = Directory.GetFiles(Path.Combine(server.DataPath, "keys"));

        await server.RestartAsync();

        using (var user = server.CreateClient(userToken))
        {
            Assert.Equal("kim", (await GetAsync(user, "v1/auth/me", HttpStatusCode.OK)).GetProperty("username").GetString());
        }
        using (var keyClient = KeyClient(server, key, asBearer: true))
        {
            await GetAsync(keyClient, "v1/api-keys", HttpStatusCode.OK);
        }
        using (var anonymous = server.CreateClient())
        {
            await PostAsync(anonymous, "v1/auth/refresh", new { refreshToken = refresh }, HttpStatusCode.OK);
        }
        await LoginAsync(server, "kim", Password);
        Assert.Equal(keyFiles, Directory.GetFiles(Path.Combine(server.DataPath, "keys")));
    }

    [Fact]
    public async Task Without_a_configured_password_the_admin_password_is_generated_saved_privately_and_not_rewritten()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Identity:BootstrapAdminPassword"] = "" });
        var file = Path.Combine(server.DataPath, "initial-admin-password");

        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.True(password.Length >= 20);
        Assert.NotEqual(RunningServer.AdminPassword, password);
        await LoginAsync(server, "admin", password);
        var written = File.GetLastWriteTimeUtc(file);

        await server.RestartAsync();

        Assert.Equal(password, (await File.ReadAllTextAsync(file)).Trim());
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        await LoginAsync(server, "admin", password);

        // The event is logged (stopping the first instance flushed its log file), the secret itself is not.
        var logs = Directory.GetFiles(Path.Combine(server.DataPath, "logs")).Select(ReadShared).ToArray();
        Assert.Contains(logs, text => text.Contains("Created the initial admin user", StringComparison.Ordinal));
        Assert.All(logs, text => Assert.DoesNotContain(password, text, StringComparison.Ordinal));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task With_a_configured_password_no_password_file_is_written()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.False(File.Exists(Path.Combine(server.DataPath, "initial-admin-password")));
        await server.LoginAsync();
    }
}
