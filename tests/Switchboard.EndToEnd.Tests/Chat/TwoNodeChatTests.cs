using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.EndToEnd.Tests.Infrastructure;

namespace Switchboard.EndToEnd.Tests.Chat;

/// <summary>
/// Two real server processes on one PostgreSQL database with Redis as the SignalR backplane: a message sent through
/// node A reaches a client connected to node B, and presence is the same on both nodes, also after a node dies.
/// </summary>
public sealed class TwoNodeChatTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Password = "two-node-password-1";

    [Fact]
    public async Task A_message_sent_through_one_node_reaches_a_client_on_the_other_and_presence_agrees()
    {
        var database = await TestDatabases.NewPostgresDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["SWITCHBOARD_Storage__Engine"] = "postgres",
            ["SWITCHBOARD_Storage__Postgres__ConnectionString"] = database,
            ["SWITCHBOARD_Chat__Redis__Configuration"] = "127.0.0.1:6379",
            // A prefix of its own, so parallel runs sharing the Redis never see each other's events.
            ["SWITCHBOARD_Chat__Redis__Prefix"] = "sb-e2e-" + Guid.NewGuid().ToString("n")[..12],
            ["SWITCHBOARD_Chat__Presence__Heartbeat"] = "00:00:01",
            ["SWITCHBOARD_Chat__Presence__NodeTimeout"] = "00:00:04",
        };
        var root = Path.Combine(Path.GetTempPath(), "switchboard-e2e", Guid.NewGuid().ToString("n"));
        await using var nodeA = await ServerProcess.StartAsync(Path.Combine(root, "a"), environment).WaitAsync(Timeout);
        // Both nodes must sign and accept the same tokens: B starts with A's signing keys.
        CopyFolder(Path.Combine(root, "a", "data", "keys"), Path.Combine(root, "b", "data", "keys"));
        await using var nodeB = await ServerProcess.StartAsync(Path.Combine(root, "b"), environment).WaitAsync(Timeout);

        foreach (var node in new[] { nodeA, nodeB })
        {
            using var client = node.CreateClient();
            var ready = await client.GetFromJsonAsync<JsonElement>("readyz").WaitAsync(Timeout);
            Assert.Equal("ok", ready.GetProperty("checks").GetProperty("chat:redis").GetString());
        }

        var adminToken = await LoginAsync(nodeA, "admin", ServerProcess.AdminPassword);
        var aliceId = await CreateUserAsync(nodeA, adminToken, "alice");
        var bobId = await CreateUserAsync(nodeA, adminToken, "bob");
        var alice = await LoginAsync(nodeA, "alice", Password);
        var bob = await LoginAsync(nodeB, "bob", Password);
        using var aliceOnA = nodeA.CreateClient(alice);
        using var bobOnB = nodeB.CreateClient(bob);
        var pair = await CreateAsync(aliceOnA, new { kind = "private", members = new[] { bobId } });
        var room = await CreateAsync(aliceOnA, new { kind = "room", name = "everyone" });

        await using var aliceHub = await HubClient.ConnectAsync(nodeA, alice);
        Assert.Equal("offline", await PresenceAsync(nodeB, bob, bobId));
        await using var bobHub = await HubClient.ConnectAsync(nodeB, bob);

        // Presence: bob connected to B; A's client hears it and both nodes answer the same.
        await aliceHub.WaitForAsync("Presence", p => p.GetProperty("userId").GetString() == bobId && p.GetProperty("status").GetString() == "online");
        Assert.Equal("online", await PresenceAsync(nodeA, alice, bobId));
        Assert.Equal("online", await PresenceAsync(nodeB, bob, bobId));
        Assert.Equal("online", await PresenceAsync(nodeB, bob, aliceId));

        // A private message sent through A (REST) and through A's hub reaches bob's connection on B.
        using var sent = await aliceOnA.PostAsJsonAsync($"v1/conversations/{pair}/messages", new { text = "from node A" }).WaitAsync(Timeout);
        sent.EnsureSuccessStatusCode();
        var sentId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var received = await bobHub.WaitForAsync("MessageReceived", m => m.GetProperty("id").GetString() == sentId);
        Assert.Equal("from node A", received.GetProperty("text").GetString());
        var viaHub = await aliceHub.Connection.InvokeAsync<JsonElement>("SendMessage", pair, new { text = "hub on A" }).WaitAsync(Timeout);
        await bobHub.WaitForAsync("MessageReceived", m => m.GetProperty("id").GetString() == viaHub.GetProperty("id").GetString());

        // Rooms go to the connections that joined them, wherever they are.
        await aliceHub.Connection.InvokeAsync<JsonElement>("JoinRoom", room).WaitAsync(Timeout);
        await bobHub.Connection.InvokeAsync<JsonElement>("JoinRoom", room).WaitAsync(Timeout);
        await aliceHub.WaitForAsync("UserJoined", j => j.GetProperty("userId").GetString() == bobId);
        var roomMessage = await aliceHub.Connection.InvokeAsync<JsonElement>("SendMessage", room, new { text = "room via A" }).WaitAsync(Timeout);
        await bobHub.WaitForAsync("MessageReceived", m => m.GetProperty("id").GetString() == roomMessage.GetProperty("id").GetString());
        await bobHub.Connection.InvokeAsync("Typing", pair).WaitAsync(Timeout);
        await aliceHub.WaitForAsync("Typing", t => t.GetProperty("userId").GetString() == bobId && t.GetProperty("isTyping").GetBoolean());

        // Bob leaves B: offline on both nodes, and A's client hears it.
        await bobHub.Connection.StopAsync().WaitAsync(Timeout);
        await aliceHub.WaitForAsync("Presence", p => p.GetProperty("userId").GetString() == bobId && p.GetProperty("status").GetString() == "offline");
        Assert.Equal("offline", await PresenceAsync(nodeA, alice, bobId));
        Assert.Equal("offline", await PresenceAsync(nodeB, alice, bobId));

        // Bob is back on B, and B dies without a word: once its heartbeat expires, A counts bob offline and says so.
        await using var bobAgain = await HubClient.ConnectAsync(nodeB, bob);
        await WaitForPresenceAsync(nodeA, alice, bobId, "online");
        var before = aliceHub.Count("Presence");
        await nodeB.KillAsync();
        await WaitForPresenceAsync(nodeA, alice, bobId, "offline");
        await aliceHub.WaitForAsync("Presence", p => p.GetProperty("userId").GetString() == bobId && p.GetProperty("status").GetString() == "offline", skip: before);
    }

    private static async Task WaitForPresenceAsync(ServerProcess node, string token, string userId, string status)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        while (await PresenceAsync(node, token, userId) != status)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{userId} did not become {status} within {Timeout}.");
            await Task.Delay(200);
        }
    }

    private static async Task<string?> PresenceAsync(ServerProcess node, string token, string userId)
    {
        using var client = node.CreateClient(token);
        var presence = await client.GetFromJsonAsync<JsonElement>($"v1/users/{userId}/presence").WaitAsync(Timeout);
        return presence.GetProperty("status").GetString();
    }

    private static async Task<string> LoginAsync(ServerProcess node, string username, string password)
    {
        using var client = node.CreateClient();
        using var response = await client.PostAsJsonAsync("v1/auth/token", new { username, password }).WaitAsync(Timeout);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<string> CreateUserAsync(ServerProcess node, string adminToken, string username)
    {
        using var client = node.CreateClient(adminToken);
        using var response = await client.PostAsJsonAsync("v1/admin/users", new { username, password = Password, role = "user" }).WaitAsync(Timeout);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> CreateAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("v1/conversations", body).WaitAsync(Timeout);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    /// <summary>A SignalR client of one node's <c>/hubs/chat</c> (JSON over WebSockets) recording every event.</summary>
    private sealed class HubClient : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<(string Name, JsonElement Payload)> _events = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private HubClient(HubConnection connection)
        {
            Connection = connection;
            foreach (var name in new[] { "MessageReceived", "MessageUpdated", "UserJoined", "UserLeft", "Typing", "Presence", "RoomUpdated", "ReadReceipt" })
            {
                connection.On<JsonElement>(name, payload =>
                {
                    lock (_gate)
                    {
                        _events.Add((name, payload));
                        var previous = _changed;
                        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        previous.TrySetResult();
                    }
                });
            }
        }

        public HubConnection Connection { get; }

        public static async Task<HubClient> ConnectAsync(ServerProcess node, string token)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl($"{node.BaseAddress}hubs/chat?access_token={Uri.EscapeDataString(token)}", HttpTransportType.WebSockets)
                .Build();
            var client = new HubClient(connection);
            await connection.StartAsync().WaitAsync(Timeout);
            return client;
        }

        public int Count(string name)
        {
            lock (_gate)
            {
                return _events.Count(e => e.Name == name);
            }
        }

        /// <param name="skip">Ignore the first events of this name (those seen before).</param>
        public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> match, int skip = 0)
        {
            var deadline = DateTimeOffset.UtcNow + Timeout;
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    foreach (var (_, payload) in _events.Where(e => e.Name == name).Skip(skip))
                    {
                        if (match(payload))
                        {
                            return payload;
                        }
                    }
                    changed = _changed.Task;
                }
                var left = deadline - DateTimeOffset.UtcNow;
                Assert.True(left > TimeSpan.Zero, $"No matching '{name}' event within {Timeout}; got {string.Join(", ", _events.Select(e => e.Name))}.");
                await Task.WhenAny(changed, Task.Delay(left));
            }
        }

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
    }
}
