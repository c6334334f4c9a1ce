using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Client;
using Switchboard.EndToEnd.Tests.Infrastructure;

namespace Switchboard.EndToEnd.Tests.Broker;

/// <summary>
/// The broker's promise, shown on the real binary: a publish answered with 2xx is durable. Several clients publish
/// concurrently over HTTP, the server is killed with SIGKILL while requests are in flight, and after a restart every
/// acknowledged message is delivered. Publishes that got no answer may or may not be there; nothing else may be.
/// </summary>
public sealed class PublishDurabilityTests
{
    private const string Queue = "durable";
    private const int Publishers = 4;
    private const int AcknowledgedBeforeKill = 400;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Acknowledged_publishes_survive_a_SIGKILL_on_sqlite()
    {
        await AcknowledgedPublishesSurviveAKillAsync(new Dictionary<string, string>());
    }

    [Fact]
    public async Task Acknowledged_publishes_survive_a_SIGKILL_on_postgres()
    {
        var connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        await AcknowledgedPublishesSurviveAKillAsync(new Dictionary<string, string>
        {
            ["SWITCHBOARD_Storage__Engine"] = "postgres",
            ["SWITCHBOARD_Storage__Postgres__ConnectionString"] = connectionString,
        });
    }

    private static async Task AcknowledgedPublishesSurviveAKillAsync(IReadOnlyDictionary<string, string> environment)
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-e2e", Guid.NewGuid().ToString("n"));
        await using var server = await ServerProcess.StartAsync(folder, environment).WaitAsync(Timeout);
        var token = await LoginAsync(server);
        using (var admin = server.CreateClient(token))
        {
            // Long leases: nothing is redelivered while the test drains, so every message is seen once.
            using var created = await admin.PostAsJsonAsync("v1/queues", new { name = Queue, leaseSeconds = 600 });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var attempted = new ConcurrentDictionary<string, byte>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publishers = Enumerable.Range(0, Publishers)
            .Select(p => Task.Run(() => PublishUntilTheServerDiesAsync(server, token, p, acknowledged, attempted, enough)))
            .ToArray();

        await enough.Task.WaitAsync(Timeout);
        await server.KillAsync();
        var stoppedBy = await Task.WhenAll(publishers).WaitAsync(Timeout);
        var acknowledgedAtKill = acknowledged.ToDictionary();

        await server.RestartAsync().WaitAsync(Timeout);
        token = await LoginAsync(server);
        using var client = server.CreateClient(token);
        var delivered = await DrainAsync(client);
        var stats = await client.GetFromJsonAsync<JsonElement>($"v1/queues/{Queue}/stats").WaitAsync(Timeout);

        Assert.All(stoppedBy, e => Assert.IsAssignableFrom<HttpRequestException>(e));
        Assert.True(acknowledgedAtKill.Count >= AcknowledgedBeforeKill);
        var lost = acknowledgedAtKill.Keys.Where(id => !delivered.ContainsKey(id)).ToArray();
        Assert.True(lost.Length == 0, $"{lost.Length} of {acknowledgedAtKill.Count} acknowledged messages were lost, e.g. {string.Join(", ", lost.Take(5))}.");
        Assert.All(acknowledgedAtKill, pair => Assert.Equal(pair.Value, delivered[pair.Key]));
        // Extra messages may only be publishes whose answer the kill cut off.
        Assert.All(delivered.Values, body => Assert.True(attempted.ContainsKey(body), $"'{body}' was never published."));
        Assert.Equal(0, stats.GetProperty("depth").GetInt64());
    }

    /// <summary>Publishes batches until a request fails; returns the exception that stopped it.</summary>
    private static async Task<Exception> PublishUntilTheServerDiesAsync(
        ServerProcess server, string token, int publisher,
        ConcurrentDictionary<Guid, string> acknowledged, ConcurrentDictionary<string, byte> attempted, TaskCompletionSource enough)
    {
        using var client = server.CreateClient(token);
        for (var batch = 0; ; batch++)
        {
            // Alternate single messages and batches: both paths must be durable.
            var bodies = Enumerable.Range(0, batch % 2 == 0 ? 1 : 8).Select(i => $"p{publisher}-b{batch}-m{i}").ToArray();
            foreach (var body in bodies)
            {
                attempted[body] = 0;
            }
            object request = bodies.Length == 1 ? new { body = bodies[0] } : new { messages = bodies.Select(b => new { body = b }).ToArray() };
            Guid[] ids;
            try
            {
                using var response = await client.PostAsJsonAsync($"v1/queues/{Queue}/messages", request);
                if (!response.IsSuccessStatusCode)
                {
                    return new InvalidOperationException($"Publish answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                var json = await response.Content.ReadFromJsonAsync<JsonElement>();
                ids = bodies.Length == 1
                    ? [json.GetProperty("id").GetGuid()]
                    : json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToArray();
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                return ex as HttpRequestException ?? new HttpRequestException("The connection failed.", ex);
            }
            for (var i = 0; i < ids.Length; i++)
            {
                acknowledged[ids[i]] = bodies[i];
            }
            if (acknowledged.Count >= AcknowledgedBeforeKill)
            {
                enough.TrySetResult();
            }
        }
    }

    /// <summary>Receives and acks until the queue is empty; returns every delivered message by id.</summary>
    private static async Task<Dictionary<Guid, string>> DrainAsync(HttpClient client)
    {
        var delivered = new Dictionary<Guid, string>();
        while (true)
        {
            using var response = await client.PostAsJsonAsync($"v1/queues/{Queue}/receive", new { max = 500, waitSeconds = 1 });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var messages = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages").EnumerateArray().ToArray();
            if (messages.Length == 0)
            {
                return delivered;
            }
            foreach (var message in messages)
            {
                Assert.True(delivered.TryAdd(message.GetProperty("id").GetGuid(), message.GetProperty("body").GetString()!), "A message was delivered twice.");
            }
            using var acked = await client.PostAsJsonAsync($"v1/queues/{Queue}/ack",
                new { leases = messages.Select(m => m.GetProperty("lease").GetString()).ToArray() });
            Assert.True(acked.IsSuccessStatusCode, await acked.Content.ReadAsStringAsync());
        }
    }

    private static async Task<string> LoginAsync(ServerProcess server)
    {
        using var client = new SwitchboardClient(server.BaseAddress);
        var tokens = await client.LoginAsync("admin", ServerProcess.AdminPassword).WaitAsync(TimeSpan.FromSeconds(30));
        return tokens.AccessToken;
    }
}
