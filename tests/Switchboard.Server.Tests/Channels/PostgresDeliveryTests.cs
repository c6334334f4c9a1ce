using System.Net;
using Switchboard.Testing;

namespace Switchboard.Server.Tests.Channels;

/// <summary>The delivery pipeline on the PostgreSQL engine: fallback, dead-lettering and replay through the real server.</summary>
public sealed class PostgresDeliveryTests
{
    [Fact]
    public async Task Fallback_dead_letters_and_replay_work_on_postgres()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Engine"] = "postgres",
            ["Storage:Postgres:ConnectionString"] = await TestPostgres.NewDatabaseAsync(),
            ["Channels:Delivery:MaxAttempts"] = "1",
            ["Channels:Routes:ops:0"] = "wa",
            ["Channels:Routes:ops:1"] = "slack",
        });
        var slackDown = true;
        h.Fake.Behaviour = c => c.Provider == "whatsapp" ? new FakeReply(400, """{"error":{"message":"bad","code":100}}""")
            : Volatile.Read(ref slackDown) ? new FakeReply(500, "down") : null;

        var id = await h.NotifyAsync(new { title = "t", content = "c", severity = "critical", route = "ops", recipients = new[] { "15550001" } });
        var failed = (await h.WaitSettledAsync(id)).GetProperty("deliveries")[0];
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(["wa", "slack"], failed.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("channel").GetString()));

        Volatile.Write(ref slackDown, false);
        h.Fake.Behaviour = c => c.Provider == "whatsapp" ? new FakeReply(400, """{"error":{"message":"bad","code":100}}""") : null;
        await h.PostAsync("v1/deliveries/dlq/replay", new { }, HttpStatusCode.OK);
        var sent = (await h.WaitSettledAsync(id, n => n.GetProperty("deliveries")[0].GetProperty("status").GetString() == "sent")).GetProperty("deliveries")[0];

        Assert.Equal("slack", sent.GetProperty("channel").GetString());
        Assert.Equal(4, sent.GetProperty("attempts").GetArrayLength());
    }
}
