using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Client;
using Switchboard.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchboard.EndToEnd.Tests.Reliability;

/// <summary>
/// The crash loop of the reliability suite (docs/reliability.md): the real server under a mixed load (publish and
/// ack with batches and delayed messages, KV compare-and-set, chat sends with read receipts, notifications to a
/// webhook fake) is SIGKILLed at a random moment, the database is checked while it is down, and after the restart
/// the recorded history is checked against what the server holds. The short form kills 5 times per engine;
/// <c>SWITCHBOARD_CRASH_KILLS</c> sets another count (bench/crash.sh runs 20).
/// </summary>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    private const int LeaseSeconds = 30;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_CRASH_KILLS"), CultureInfo.InvariantCulture, out var kills) ? kills : 5;

    [Fact]
    public async Task Acknowledged_work_survives_SIGKILLs_at_random_moments_on_sqlite()
    {
        await CrashLoopAsync("sqlite", new Dictionary<string, string>(), postgres: null);
    }

    [Fact]
    public async Task Acknowledged_work_survives_SIGKILLs_at_random_moments_on_postgres()
    {
        var connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        await CrashLoopAsync("postgres", new Dictionary<string, string>
        {
            ["SWITCHBOARD_Storage__Engine"] = "postgres",
            ["SWITCHBOARD_Storage__Postgres__ConnectionString"] = connectionString,
        }, connectionString);
    }

    private async Task CrashLoopAsync(string engine, Dictionary<string, string> environment, string? postgres)
    {
        var history = new CrashHistory();
        await using var provider = new FakeWebhookProvider(() => history.Now);
        environment["SWITCHBOARD_Channels__Instances__hook__Type"] = "webhook";
        environment["SWITCHBOARD_Channels__Instances__hook__WebhookUrl"] = provider.Url;
        environment["SWITCHBOARD_Channels__AllowedHosts__0"] = "127.0.0.1";
        // The workload is a load generator under one principal: on a quiet machine it goes past the default 1,000
        // requests/s, and a 429 is not what this suite checks.
        environment["SWITCHBOARD_Http__RateLimits__Enabled"] = "false";
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-e2e", Guid.NewGuid().ToString("n"));
        await using var server = await ServerProcess.StartAsync(folder, environment).WaitAsync(Timeout);
        var checker = new CrashChecker(history, LeaseSeconds);
        var databaseChecks = 0;

        var setup = await SetUpAsync(server);
        for (var cycle = 1; cycle <= Kills; cycle++)
        {
            var token = await LoginAsync(server);
            using var stop = new CancellationTokenSource();
            var load = new CrashWorkload(history, server.BaseAddress, token, setup).RunAsync(stop.Token);
            // A random moment: the load has warmed up, and the kill lands at any point of whatever is in flight.
            await Task.WhenAny(load, Task.Delay(TimeSpan.FromMilliseconds(1500 + Random.Shared.Next(2500))));
            Assert.False(load.IsCompleted, $"The load stopped before the kill: {load.Exception}\n{server.Output}");
            lock (history.Kills)
            {
                history.Kills.Add(history.Now);
            }
            await server.KillAsync().WaitAsync(Timeout);
            await load.WaitAsync(Timeout);

            IReadOnlyList<string> problems;
            if (postgres is null)
            {
                problems = DatabaseInvariants.CheckSqlite(Path.Combine(folder, "data", "switchboard.db"));
                databaseChecks += 2;
            }
            else
            {
                (problems, var checkedCount) = await DatabaseInvariants.CheckPostgresAsync(postgres).WaitAsync(Timeout);
                databaseChecks += checkedCount;
            }
            foreach (var problem in problems)
            {
                checker.Anomaly($"after kill {cycle}: {problem}");
            }

            await server.RestartAsync().WaitAsync(Timeout);
            using var client = CrashWorkload.CreateClient(server.BaseAddress, await LoginAsync(server));
            await DrainAsync(client, history).WaitAsync(Timeout);
            await ResendUnansweredChatAsync(client, history).WaitAsync(Timeout);
            checker.CheckKv(await ReadKeysAsync(client).WaitAsync(Timeout));
            var (messages, readSeq) = await ReadChatAsync(client, setup).WaitAsync(Timeout);
            checker.CheckChat(messages, readSeq);
        }

        using (var client = CrashWorkload.CreateClient(server.BaseAddress, await LoginAsync(server)))
        {
            checker.CheckBroker();
            var statuses = await WaitForDeliveriesAsync(client, history).WaitAsync(TimeSpan.FromMinutes(3));
            checker.CheckNotifications(statuses, provider.Calls.ToDictionary(c => c.Key, c => (IReadOnlyList<double>)c.Value.ToArray()));
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"crash loop {engine}: kills {history.Kills.Count}, operations {history.Operations} (publishes {history.Publishes.Count} with {history.Publishes.Where(p => p.Outcome == Outcome.Ok).Sum(p => p.Ids.Length)} acknowledged messages, deliveries {history.Deliveries.Count}, redeliveries {checker.Redeliveries}, CAS {history.CasWrites.Count}, chat sends {history.ChatSends.Count}, receipts {history.Receipts.Count}, notifications {history.Notifications.Count}), unanswered {CountUnknown(history)}, database checks {databaseChecks} (SQLite: integrity_check and foreign_key_check per kill; PostgreSQL: foreign keys, unique indexes and B-tree amcheck per kill), possibly duplicated notifications {checker.PossiblyDuplicated.Count}, anomalies {checker.Anomalies.Count}");
        output.WriteLine(summary);
        foreach (var duplicate in checker.PossiblyDuplicated)
        {
            output.WriteLine($"possibly duplicated: {duplicate}");
        }
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_CRASH_REPORT") is { Length: > 0 } report)
        {
            await File.AppendAllLinesAsync(report, [summary, .. checker.Anomalies.Take(50).Select(a => "  anomaly: " + a), .. checker.PossiblyDuplicated.Select(d => "  possibly duplicated: " + d)]);
        }
        Assert.True(checker.Anomalies.Count == 0, $"{summary}\n{string.Join("\n", checker.Anomalies.Take(30))}");
    }

    private static int CountUnknown(CrashHistory history) =>
        history.Publishes.Count(p => p.Outcome == Outcome.Unknown) + history.CasWrites.Count(w => w.Outcome == Outcome.Unknown)
        + history.ChatSends.Count(s => s.Outcome == Outcome.Unknown) + history.Notifications.Count(n => n.Outcome == Outcome.Unknown)
        + history.Deliveries.Count(d => d.AckInvoked is not null && d.AckOutcome == Outcome.Unknown);

    private static async Task<CrashSetup> SetUpAsync(ServerProcess server)
    {
        using var client = CrashWorkload.CreateClient(server.BaseAddress, await LoginAsync(server));
        using (var queue = await client.PostAsJsonAsync("v1/queues", new { name = CrashWorkload.Queue, leaseSeconds = LeaseSeconds }))
        {
            Assert.True(queue.IsSuccessStatusCode, await queue.Content.ReadAsStringAsync());
        }
        using (var bucket = await client.PutAsync($"v1/kv/{CrashWorkload.Bucket}", null))
        {
            Assert.True(bucket.IsSuccessStatusCode, await bucket.Content.ReadAsStringAsync());
        }
        var rooms = new List<Guid>();
        foreach (var name in new[] { "crash-a", "crash-b" })
        {
            using var room = await client.PostAsJsonAsync("v1/conversations", new { kind = "room", name });
            Assert.True(room.IsSuccessStatusCode, await room.Content.ReadAsStringAsync());
            rooms.Add((await room.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
        return new CrashSetup([.. rooms]);
    }

    /// <summary>Receives and acks until nothing is left, delayed messages included; every delivery joins the history.</summary>
    private static async Task DrainAsync(HttpClient client, CrashHistory history)
    {
        while (true)
        {
            var deliveries = await CrashWorkload.ReceiveAsync(client, history, 100, CancellationToken.None);
            if (deliveries.Length > 0)
            {
                await CrashWorkload.AckAsync(client, history, deliveries, CancellationToken.None);
                continue;
            }
            var stats = await client.GetFromJsonAsync<JsonElement>($"v1/queues/{CrashWorkload.Queue}/stats");
            if (stats.GetProperty("depth").GetInt64() == 0)
            {
                return;
            }
        }
    }

    /// <summary>Sends every chat message that got no answer again with its client id: it must be stored once.</summary>
    private static async Task ResendUnansweredChatAsync(HttpClient client, CrashHistory history)
    {
        var resent = history.ChatSends.Where(s => s.Outcome == Outcome.Ok).Select(s => s.ClientMessageId).ToHashSet();
        foreach (var send in history.ChatSends.Where(s => s.Outcome == Outcome.Unknown && !resent.Contains(s.ClientMessageId)).ToArray())
        {
            var again = await CrashWorkload.SendChatAsync(client, history, send.Conversation, send.ClientMessageId, CancellationToken.None);
            Assert.Equal(Outcome.Ok, again.Outcome);
        }
    }

    private static async Task<Dictionary<string, (long, string?)>> ReadKeysAsync(HttpClient client)
    {
        var keys = new Dictionary<string, (long, string?)>();
        foreach (var key in CrashWorkload.Keys)
        {
            keys[key] = await CrashWorkload.ReadKeyAsync(client, key, CancellationToken.None);
        }
        return keys;
    }

    private static async Task<(Dictionary<Guid, IReadOnlyList<(long, Guid, string?)>>, Dictionary<Guid, long>)> ReadChatAsync(HttpClient client, CrashSetup setup)
    {
        var messages = new Dictionary<Guid, IReadOnlyList<(long, Guid, string?)>>();
        var readSeq = new Dictionary<Guid, long>();
        foreach (var conversation in setup.Conversations)
        {
            var list = new List<(long Seq, Guid Id, string? ClientMessageId)>();
            while (true)
            {
                var after = list.Count == 0 ? 0 : list[^1].Seq;
                var page = (await client.GetFromJsonAsync<JsonElement>($"v1/conversations/{conversation}/messages?after={after}&limit=200"))
                    .GetProperty("items").EnumerateArray()
                    .Select(m => (m.GetProperty("seq").GetInt64(), m.GetProperty("id").GetGuid(),
                        m.TryGetProperty("clientMessageId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null))
                    .OrderBy(m => m.Item1).ToArray();
                if (page.Length == 0)
                {
                    break;
                }
                list.AddRange(page);
            }
            messages[conversation] = list;
            var members = await client.GetFromJsonAsync<JsonElement>($"v1/conversations/{conversation}/members");
            readSeq[conversation] = members.GetProperty("items").EnumerateArray().Max(m => m.GetProperty("readSeq").GetInt64());
        }
        return (messages, readSeq);
    }

    /// <summary>Waits until every delivery of every acknowledged notification has settled; returns their statuses.</summary>
    private static async Task<Dictionary<Guid, string>> WaitForDeliveriesAsync(HttpClient client, CrashHistory history)
    {
        var statuses = new Dictionary<Guid, string>();
        foreach (var notification in history.Notifications.Where(n => n.Outcome == Outcome.Ok))
        {
            while (true)
            {
                var json = await client.GetFromJsonAsync<JsonElement>($"v1/notifications/{notification.Id}");
                var deliveries = json.GetProperty("deliveries").EnumerateArray()
                    .Select(d => (Id: d.GetProperty("id").GetGuid(), Status: d.GetProperty("status").GetString()!)).ToArray();
                if (deliveries.All(d => d.Status is "sent" or "failed"))
                {
                    foreach (var (id, status) in deliveries)
                    {
                        statuses[id] = status;
                    }
                    break;
                }
                await Task.Delay(200);
            }
        }
        return statuses;
    }

    private static async Task<string> LoginAsync(ServerProcess server)
    {
        using var client = new SwitchboardClient(server.BaseAddress);
        var tokens = await client.LoginAsync("admin", ServerProcess.AdminPassword).WaitAsync(TimeSpan.FromSeconds(30));
        return tokens.AccessToken;
    }
}
