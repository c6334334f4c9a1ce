using System.Net;
using System.Text.Json;

namespace Switchboard.Server.Tests.Channels;

/// <summary>Retries, Retry-After, timeouts, the circuit breaker, fallback routes and the dead-letter queue, against the fakes.</summary>
public sealed class ResilienceTests
{
    private static string[] Outcomes(JsonElement attempts) => attempts.EnumerateArray().Select(a => a.GetProperty("outcome").GetString()!).ToArray();

    private static JsonElement Single(JsonElement notification) => Assert.Single(notification.GetProperty("deliveries").EnumerateArray().ToArray());

    private static object Notice(string channel, string? recipient = "15550001") =>
        new { title = "Alert", content = "CPU at 97%", severity = "warning", channels = new[] { channel }, recipients = recipient is null ? null : new[] { recipient } };

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_its_Retry_After()
    {
        await using var h = await ChannelHarness.StartAsync();
        h.Fake.Behaviour = c => c.Sequence == 1
            ? new FakeReply(429, """{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429}}""", RetryAfter: "1")
            : null;

        var delivery = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("wa"))));

        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(["retryable", "sent"], Outcomes(delivery.GetProperty("attempts")));
        Assert.Equal(429, attempts[0].GetProperty("statusCode").GetInt32());
        Assert.Equal("meta_130429", attempts[0].GetProperty("errorCode").GetString());
        // Retry delays are 10 ms in these tests: only the provider's Retry-After explains a wait of a second.
        Assert.True(attempts[1].GetProperty("at").GetDateTimeOffset() - attempts[0].GetProperty("at").GetDateTimeOffset() >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task A_successful_attempt_records_the_status_the_provider_answered_with()
    {
        await using var h = await ChannelHarness.StartAsync();
        h.Fake.Behaviour = c => c.Sequence == 1 ? new FakeReply(503, "busy") : c.Sequence == 2 ? new FakeReply(202) : null;

        var delivery = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("hook", null))));

        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(["retryable", "sent"], Outcomes(delivery.GetProperty("attempts")));
        Assert.Equal(503, attempts[0].GetProperty("statusCode").GetInt32());
        Assert.Equal(202, attempts[1].GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Telegrams_retry_after_parameter_is_honoured()
    {
        await using var h = await ChannelHarness.StartAsync();
        h.Fake.Behaviour = c => c.Sequence == 1
            ? new FakeReply(429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""")
            : null;

        var delivery = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("tg", "4242"))));

        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal("telegram_429", attempts[0].GetProperty("errorCode").GetString());
        Assert.True(attempts[1].GetProperty("at").GetDateTimeOffset() - attempts[0].GetProperty("at").GetDateTimeOffset() >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Server_errors_are_retried_until_delivered_with_the_same_idempotency_key()
    {
        await using var h = await ChannelHarness.StartAsync();
        h.Fake.Behaviour = c => c.Sequence <= 2 ? new FakeReply(503, """{"error":{"message":"Service temporarily unavailable","code":2}}""") : null;

        var delivery = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("wa"))));

        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        Assert.Equal(["retryable", "retryable", "sent"], Outcomes(delivery.GetProperty("attempts")));
        Assert.Single(h.Fake.Calls.Select(c => c.IdempotencyKey).Distinct());
    }

    [Theory]
    [InlineData(400, """{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100}}""", "meta_100")]
    [InlineData(401, """{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}""", "meta_190")]
    public async Task Client_errors_are_not_retried_and_fail_the_delivery(int status, string body, string code)
    {
        await using var h = await ChannelHarness.StartAsync();
        h.Fake.Behaviour = _ => new FakeReply(status, body);

        var delivery = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("wa"))));

        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(code, delivery.GetProperty("errorCode").GetString());
        Assert.Equal(["rejected"], Outcomes(delivery.GetProperty("attempts")));
        Assert.Single(h.Fake.Calls);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_retried()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?> { ["Channels:Instances:slack:Timeout"] = "00:00:00.300" });
        h.Fake.Behaviour = c => c.Sequence == 1 ? new FakeReply(200, "ok", Delay: TimeSpan.FromSeconds(20)) : null;

        var delivery = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("slack", null))));

        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(["retryable", "sent"], Outcomes(delivery.GetProperty("attempts")));
        Assert.Equal("timeout", attempts[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task The_circuit_opens_after_failures_skips_the_provider_and_closes_after_recovery()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Delivery:MaxAttempts"] = "1",
            ["Channels:Delivery:BreakerMinimumThroughput"] = "3",
            ["Channels:Delivery:BreakerFailureRatio"] = "0.5",
            ["Channels:Delivery:BreakerSamplingDuration"] = "00:00:30",
            ["Channels:Delivery:BreakerBreakDuration"] = "00:00:01",
        });
        var down = true;
        h.Fake.Behaviour = _ => Volatile.Read(ref down) ? new FakeReply(500, "internal") : null;

        for (var i = 0; i < 3; i++)
        {
            await h.WaitSettledAsync(await h.NotifyAsync(Notice("slack", null)));
        }
        var channel = await h.GetAsync("v1/channels/slack");
        Assert.Equal("open", channel.GetProperty("circuit").GetString());
        var callsWhileOpen = h.Fake.Calls.Count;
        var skipped = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("slack", null))));
        Assert.Equal(["circuit_open"], Outcomes(skipped.GetProperty("attempts")));
        Assert.Equal(callsWhileOpen, h.Fake.Calls.Count);

        Volatile.Write(ref down, false);
        using var timeout = new CancellationTokenSource(ChannelHarness.Timeout);
        while (true)
        {
            var delivery = Single(await h.WaitSettledAsync(await h.NotifyAsync(Notice("slack", null))));
            if (delivery.GetProperty("status").GetString() == "sent")
            {
                break;
            }
            Assert.False(timeout.IsCancellationRequested, "The circuit never let a trial call through after the break.");
            await Task.Delay(200);
        }
        Assert.Equal("closed", (await h.GetAsync("v1/channels/slack")).GetProperty("circuit").GetString());
        var stats = (await h.GetAsync("v1/channels/stats")).GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "slack");
        Assert.True(stats.GetProperty("sent").GetInt64() >= 1);
        Assert.True(stats.GetProperty("failed").GetInt64() >= 4);
        Assert.Equal("closed", stats.GetProperty("circuit").GetString());
    }

    [Fact]
    public async Task A_route_falls_back_to_the_next_provider_on_permanent_failure()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Routes:urgent:0"] = "wa",
            ["Channels:Routes:urgent:1"] = "tg",
            ["Channels:Routes:urgent:2"] = "hook",
        });
        h.Fake.Behaviour = c => c.Provider switch
        {
            "whatsapp" => new FakeReply(401, """{"error":{"message":"Invalid OAuth access token.","code":190}}"""),
            "telegram" => new FakeReply(400, """{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"""),
            _ => null,
        };

        var id = await h.NotifyAsync(new
        {
            title = "Database down",
            content = "primary is unreachable",
            severity = "critical",
            route = "urgent",
            recipients = new[] { new Dictionary<string, string> { ["whatsapp"] = "15550001", ["telegram"] = "777" } },
        });
        var delivery = Single(await h.WaitSettledAsync(id));

        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        Assert.Equal("hook", delivery.GetProperty("channel").GetString());
        Assert.Equal(["rejected", "rejected", "sent"], Outcomes(delivery.GetProperty("attempts")));
        Assert.Equal(["wa", "tg", "hook"], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("channel").GetString()));
        Assert.Equal(["whatsapp", "telegram", "webhook"], h.Fake.Calls.Select(c => c.Provider));
    }

    [Fact]
    public async Task An_exhausted_route_goes_to_the_dead_letter_queue_with_its_history_and_a_replay_delivers_it()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Delivery:MaxAttempts"] = "2",
            ["Channels:Routes:ops:0"] = "slack",
            ["Channels:Routes:ops:1"] = "discord",
        });
        var down = true;
        h.Fake.Behaviour = _ => Volatile.Read(ref down) ? new FakeReply(502, "bad gateway") : null;

        var id = await h.NotifyAsync(new { title = "Backup failed", content = "nightly backup failed", route = "ops" });
        var failed = Single(await h.WaitSettledAsync(id));

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(["retryable", "retryable", "retryable", "retryable"], Outcomes(failed.GetProperty("attempts")));
        var notification = await h.GetAsync($"v1/notifications/{id}");
        Assert.Contains("Every delivery failed", notification.GetProperty("notSentReason").GetString());
        var deliveryId = failed.GetProperty("id").GetGuid();
        var dlq = (await h.GetAsync("v1/deliveries/dlq")).GetProperty("deadLetters").EnumerateArray().ToArray();
        var letter = Assert.Single(dlq);
        Assert.Equal(deliveryId, letter.GetProperty("deliveryId").GetGuid());
        Assert.Equal(["slack", "slack", "discord", "discord"], letter.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("channel").GetString()));

        Volatile.Write(ref down, false);
        var replay = await h.PostAsync("v1/deliveries/dlq/replay", new { ids = new[] { deliveryId } }, HttpStatusCode.OK);
        Assert.Equal([deliveryId], replay.GetProperty("replayed").EnumerateArray().Select(e => e.GetGuid()));

        var delivered = Single(await h.WaitSettledAsync(id, n => Single(n).GetProperty("status").GetString() == "sent"));
        Assert.Equal("slack", delivered.GetProperty("channel").GetString());
        Assert.Empty((await h.GetAsync("v1/deliveries/dlq")).GetProperty("deadLetters").EnumerateArray());
        var full = await h.GetAsync($"v1/deliveries/{deliveryId}");
        Assert.Equal(5, full.GetProperty("attempts").GetArrayLength());
    }
}
