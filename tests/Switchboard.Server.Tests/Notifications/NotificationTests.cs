using System.Net;
using System.Text.Json;
using Switchboard.Server.Tests.Channels;

namespace Switchboard.Server.Tests.Notifications;

/// <summary>The notifier: cooldowns, priorities under a backlog, and nothing lost at volume through a flaky provider.</summary>
public sealed class NotificationTests
{
    [Fact]
    public async Task A_repeat_inside_the_cooldown_is_suppressed_and_says_which_notification_it_repeats()
    {
        await using var h = await ChannelHarness.StartAsync();
        var body = new { title = "CPU high", content = "CPU at 95%", severity = "warning", channels = new[] { "slack" }, dedupKey = "cpu:web-1", cooldownSeconds = 600 };

        var first = await h.PostAsync("v1/notifications", body, HttpStatusCode.Accepted);
        var repeat = await h.PostAsync("v1/notifications", body, HttpStatusCode.OK);
        var other = await h.PostAsync("v1/notifications", body with { }, HttpStatusCode.OK);
        var differentKey = await h.PostAsync("v1/notifications", new { title = "CPU high", content = "CPU at 95%", channels = new[] { "slack" }, dedupKey = "cpu:web-2" },
            HttpStatusCode.Accepted);

        Assert.False(first.GetProperty("suppressed").GetBoolean());
        Assert.True(repeat.GetProperty("suppressed").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetGuid(), repeat.GetProperty("duplicateOf").GetGuid());
        Assert.Empty(repeat.GetProperty("deliveries").EnumerateArray());
        Assert.True(other.GetProperty("suppressed").GetBoolean());
        Assert.False(differentKey.GetProperty("suppressed").GetBoolean());
        await h.WaitSettledAsync(first.GetProperty("id").GetGuid());
        await h.WaitSettledAsync(differentKey.GetProperty("id").GetGuid());
        Assert.Equal(2, h.Fake.CallsTo("slack").Count());
    }

    [Fact]
    public async Task A_zero_cooldown_lets_the_repeat_through()
    {
        await using var h = await ChannelHarness.StartAsync();
        var body = new { title = "Heartbeat", content = "ok", channels = new[] { "slack" }, dedupKey = "hb", cooldownSeconds = 0 };

        var first = await h.PostAsync("v1/notifications", body, HttpStatusCode.Accepted);
        var second = await h.PostAsync("v1/notifications", body, HttpStatusCode.Accepted);

        Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Under_a_backlog_critical_notifications_overtake_info_ones()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Delivery:Concurrency"] = "1",
            ["Channels:Instances:slack:Timeout"] = "00:01:00",
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Fake.Gate = c =>
        {
            if (c.Sequence != 1)
            {
                return Task.CompletedTask;
            }
            held.TrySetResult();
            return release.Task;
        };

        // The single worker holds the first job at the provider while the rest queue up behind it.
        var ids = new List<Guid> { await h.NotifyAsync(new { title = "info 0", content = "routine", severity = "info", channels = new[] { "slack" } }) };
        await held.Task.WaitAsync(ChannelHarness.Timeout);
        for (var i = 1; i < 20; i++)
        {
            ids.Add(await h.NotifyAsync(new { title = $"info {i}", content = "routine", severity = "info", channels = new[] { "slack" } }));
        }
        ids.Add(await h.NotifyAsync(new { title = "warning", content = "slow", severity = "warning", channels = new[] { "slack" } }));
        ids.Add(await h.NotifyAsync(new { title = "critical", content = "site down", severity = "critical", channels = new[] { "slack" } }));
        release.SetResult();
        foreach (var id in ids)
        {
            await h.WaitSettledAsync(id);
        }

        var order = h.Fake.CallsTo("slack").Select(c => c.Json!["blocks"]![0]!["text"]!["text"]!.GetValue<string>()).ToArray();
        Assert.Equal(22, order.Length);
        Assert.Equal(["info 0", "critical", "warning", "info 1"], order[..4]);
    }

    [Fact]
    public async Task Disabling_an_instance_is_visible_and_enabling_it_again_restores_delivery()
    {
        await using var h = await ChannelHarness.StartAsync();

        var disabled = await PatchAsync(h, "slack", new { enabled = false });
        var enabled = await PatchAsync(h, "slack", new { enabled = true });
        var id = await h.NotifyAsync(new { title = "t", content = "c", channels = new[] { "slack" } });

        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal("sent", (await h.WaitSettledAsync(id)).GetProperty("deliveries")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_notification_to_a_disabled_only_route_is_refused()
    {
        await using var h = await ChannelHarness.StartAsync();
        await PatchAsync(h, "slack", new { enabled = false });

        var problem = await h.PostAsync("v1/notifications", new { title = "t", content = "c", channels = new[] { "slack" } }, HttpStatusCode.Conflict);

        Assert.Equal("channel_unavailable", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Ten_thousand_notifications_through_a_provider_failing_a_fifth_of_calls_are_all_delivered_or_dead_lettered()
    {
        const int total = 10_000;
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Delivery:Concurrency"] = "32",
            ["Channels:Delivery:MaxAttempts"] = "3",
            ["Channels:Delivery:RetryBaseDelay"] = "00:00:00.001",
        });
        var random = new Random(20);
        h.Fake.Behaviour = _ =>
        {
            lock (random)
            {
                return random.NextDouble() < 0.2 ? new FakeReply(500, """{"error":{"message":"An unknown error occurred","code":1}}""") : null;
            }
        };

        var deliveries = new List<Guid>(total);
        for (var batch = 0; batch < total / 1000; batch++)
        {
            var notifications = Enumerable.Range(0, 1000).Select(i => new
            {
                title = $"n{batch * 1000 + i}",
                content = "volume test",
                channels = new[] { "wa" },
                recipients = new[] { $"1555{batch * 1000 + i:D7}" },
            }).ToArray();
            var result = await h.PostAsync("v1/notifications/batch", new { notifications }, HttpStatusCode.OK);
            deliveries.AddRange(result.GetProperty("results").EnumerateArray().Select(r => Assert.Single(r.GetProperty("deliveries").EnumerateArray().ToArray()).GetProperty("id").GetGuid()));
        }
        Assert.Equal(total, deliveries.Distinct().Count());

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        JsonElement stats;
        HashSet<Guid> deadLettered;
        while (true)
        {
            stats = (await h.GetAsync("v1/channels/stats")).GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "wa");
            deadLettered = (await h.GetAsync("v1/deliveries/dlq?limit=1000")).GetProperty("deadLetters").EnumerateArray()
                .Select(d => d.GetProperty("deliveryId").GetGuid()).ToHashSet();
            if (stats.GetProperty("sent").GetInt64() + deadLettered.Count >= total)
            {
                break;
            }
            Assert.False(timeout.IsCancellationRequested, $"Not settled: {stats}, {deadLettered.Count} dead-lettered.");
            await Task.Delay(500);
        }

        Assert.Equal(total, stats.GetProperty("sent").GetInt64() + deadLettered.Count);
        var succeeded = h.Fake.SuccessesByKey;
        Assert.All(succeeded, s => Assert.Equal(1, s.Value));
        Assert.Equal(total - deadLettered.Count, succeeded.Count);
        Assert.DoesNotContain(deadLettered, d => succeeded.ContainsKey(d.ToString()));
        Assert.Equal(deliveries.Select(d => d.ToString()).ToHashSet(), succeeded.Keys.Concat(deadLettered.Select(d => d.ToString())).ToHashSet());
        foreach (var sample in deliveries.Take(20).Concat(deadLettered.Take(5)))
        {
            var status = (await h.GetAsync($"v1/deliveries/{sample}")).GetProperty("status").GetString();
            Assert.Equal(deadLettered.Contains(sample) ? "failed" : "sent", status);
        }
    }

    private static async Task<JsonElement> PatchAsync(ChannelHarness h, string channel, object body)
    {
        using var response = await h.Client.PatchAsync($"v1/channels/{channel}", System.Net.Http.Json.JsonContent.Create(body)).WaitAsync(ChannelHarness.Timeout);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
