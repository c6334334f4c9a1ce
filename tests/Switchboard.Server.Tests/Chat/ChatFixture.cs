using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Chat;

/// <summary>A running server with an admin and helpers to create chat users, each with a token and an HTTP client.</summary>
internal sealed class ChatFixture : IAsyncDisposable
{
    public const string Password = "chat-user-password-1";

    private readonly List<IDisposable> _clients = [];

    private ChatFixture(RunningServer server, string adminToken)
    {
        Server = server;
        AdminToken = adminToken;
    }

    public RunningServer Server { get; }

    public string AdminToken { get; }

    public static async Task<ChatFixture> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var server = await RunningServer.StartAsync(settings);
        return new ChatFixture(server, await server.LoginAsync());
    }

    public async Task<ChatUser> CreateUserAsync(string username)
    {
        using var admin = Server.CreateClient(AdminToken);
        using var created = await admin.PostAsJsonAsync("v1/admin/users", new { username, password = Password, role = "user" });
        var body = await ExpectAsync(created, HttpStatusCode.Created);
        var token = await Server.LoginAsync(username, Password);
        var http = Server.CreateClient(token);
        _clients.Add(http);
        return new ChatUser(body.GetProperty("id").GetString()!, username, token, http);
    }

    public Task<ChatHubClient> ConnectAsync(ChatUser user, bool messagePack) =>
        ChatHubClient.ConnectAsync(Server.BaseAddress, user.Token, user.Id, messagePack);

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await Server.DisposeAsync();
    }
}
