using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Files;
using Switchboard.Server.Tests.Identity;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Files;

/// <summary>A running server with two ordinary users (alice uploads, bob is someone else) and helpers over its files folder.</summary>
internal sealed class FilesFixture : IAsyncDisposable
{
    public const string Password = "correct-horse-battery-staple";

    private FilesFixture(RunningServer server, string adminToken, string aliceToken, string bobToken)
    {
        Server = server;
        Admin = new TusClient(server.CreateClient(adminToken));
        Alice = new TusClient(server.CreateClient(aliceToken));
        Bob = new TusClient(server.CreateClient(bobToken));
    }

    public RunningServer Server { get; }

    public TusClient Admin { get; }

    public TusClient Alice { get; }

    public TusClient Bob { get; }

    public FileService Files => Server.Services.GetRequiredService<FileService>();

    public LocalFileContentStore Content => (LocalFileContentStore)Server.Services.GetRequiredService<IFileContentStore>();

    public static async Task<FilesFixture> StartAsync(IDictionary<string, string?>? settings = null,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?> { ["Http:RateLimits:Enabled"] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var server = await RunningServer.StartAsync(all, configure: configure);
        var admin = await server.LoginAsync();
        await IdentityApi.CreateUserAsync(server, admin, "alice", Password);
        await IdentityApi.CreateUserAsync(server, admin, "bob", Password);
        var alice = (await IdentityApi.LoginAsync(server, "alice", Password)).Access;
        var bob = (await IdentityApi.LoginAsync(server, "bob", Password)).Access;
        return new FilesFixture(server, admin, alice, bob);
    }

    public static Guid IdOf(string location) => Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);

    public string PathOf(string location) => Content.PathOf(IdOf(location));

    /// <summary>Every file under the files folder, relative to it.</summary>
    public string[] StoredFiles() => Directory.Exists(Content.Root)
        ? [.. Directory.EnumerateFiles(Content.Root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Content.Root, p))]
        : [];

    /// <summary>Creates an upload of <paramref name="bytes"/> as alice (declaring its SHA-256) and sends it in one PATCH.</summary>
    public async Task<string> UploadAsync(byte[] bytes, string name = "data.bin", string type = "application/octet-stream", TusClient? uploader = null)
    {
        var client = uploader ?? Alice;
        var location = await client.CreateAsync(bytes.Length, name, type, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        if (bytes.Length > 0)
        {
            Assert.Equal(bytes.Length, await client.AppendAsync(location, 0, new ByteArrayContent(bytes)));
        }
        return location;
    }

    public static async Task ExpectStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Http.Dispose();
        Alice.Http.Dispose();
        Bob.Http.Dispose();
        await Server.DisposeAsync();
    }
}
