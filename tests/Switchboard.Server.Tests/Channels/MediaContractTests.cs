using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Server.Tests.Channels;

/// <summary>Attachments and templates in each provider's real request shape, their validation, and their survival of retries.</summary>
public sealed class MediaContractTests
{
    private const string Chart = "https://cdn.example.com/reports/disk-chart.png";
    private const string Report = "https://cdn.example.com/reports/q3.pdf";
    private const string Voice = "https://cdn.example.com/voice/note";

    private static readonly object[] Attachments =
    [
        new { url = Chart, mimeType = "image/png", caption = "Disk usage, last 7 days" },
        new { url = Report, fileName = "Q3 report.pdf", caption = "The full report" },
        new { url = Voice, mimeType = "audio/mpeg", caption = "ignored for audio on WhatsApp" },
    ];

    private static readonly object Template = new { name = "disk_alert", language = "en_US", parameters = new[] { "db-1", "93%" } };

    [Fact]
    public async Task Attachments_and_a_template_reach_every_provider_in_its_own_shape()
    {
        await using var h = await ChannelHarness.StartAsync();

        var id = await h.NotifyAsync(new
        {
            title = "Disk almost full",
            content = "db-1 is at 93%.",
            channels = new[] { "wa", "ig", "tg", "slack", "discord", "hook" },
            recipients = new object[] { new Dictionary<string, string> { ["whatsapp"] = "15551230000", ["ig"] = "IGSID-7", ["telegram"] = "987654" } },
            attachments = Attachments,
            template = Template,
        });
        var notification = await h.WaitSettledAsync(id);
        var deliveries = notification.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("channel").GetString()!);
        Assert.All(deliveries.Values, d => Assert.True("sent" == d.GetProperty("status").GetString(), d.ToString()));

        // WhatsApp: the template instead of the text, then one media message per attachment.
        var wa = Ordered(h, "whatsapp");
        Assert.Equal(4, wa.Length);
        var waId = deliveries["wa"].GetProperty("id").GetGuid().ToString();
        Assert.Equal([waId, $"{waId}:1", $"{waId}:2", $"{waId}:3"], wa.Select(c => c.IdempotencyKey));
        Assert.All(wa, c =>
        {
            Assert.Equal("/v21.0/1055/messages", c.Path);
            Assert.Equal("whatsapp", Text(c.Json!["messaging_product"]));
            Assert.Equal("15551230000", Text(c.Json["to"]));
        });
        var template = wa[0].Json!;
        Assert.Equal("template", Text(template["type"]));
        Assert.Null(template["text"]);
        Assert.Equal("disk_alert", Text(template["template"]!["name"]));
        Assert.Equal("en_US", Text(template["template"]!["language"]!["code"]));
        var component = Assert.Single(template["template"]!["components"]!.AsArray())!;
        Assert.Equal("body", Text(component["type"]));
        Assert.Equal(["text", "text"], component["parameters"]!.AsArray().Select(p => Text(p!["type"])));
        Assert.Equal(["db-1", "93%"], component["parameters"]!.AsArray().Select(p => Text(p!["text"])));
        Assert.Equal($"wamid.{wa[0].Sequence}", deliveries["wa"].GetProperty("providerId").GetString());

        Assert.Equal("image", Text(wa[1].Json!["type"]));
        Assert.Equal(Chart, Text(wa[1].Json!["image"]!["link"]));
        Assert.Equal("Disk usage, last 7 days", Text(wa[1].Json!["image"]!["caption"]));
        Assert.Null(wa[1].Json!["image"]!["filename"]);
        Assert.Equal("document", Text(wa[2].Json!["type"]));
        Assert.Equal(Report, Text(wa[2].Json!["document"]!["link"]));
        Assert.Equal("Q3 report.pdf", Text(wa[2].Json!["document"]!["filename"]));
        Assert.Equal("The full report", Text(wa[2].Json!["document"]!["caption"]));
        Assert.Equal("audio", Text(wa[3].Json!["type"]));
        Assert.Equal(Voice, Text(wa[3].Json!["audio"]!["link"]));
        Assert.Null(wa[3].Json!["audio"]!["caption"]);

        // Instagram: the text alone, then each attachment alone.
        var ig = Ordered(h, "instagram");
        Assert.Equal(4, ig.Length);
        Assert.All(ig, c => Assert.Equal("IGSID-7", Text(c.Json!["recipient"]!["id"])));
        Assert.Contains("db-1 is at 93%.", Text(ig[0].Json!["message"]!["text"]));
        Assert.Null(ig[0].Json!["message"]!["attachment"]);
        Assert.Equal([("image", Chart), ("file", Report), ("audio", Voice)], ig[1..].Select(c =>
        {
            Assert.Null(c.Json!["message"]!["text"]);
            var attachment = c.Json["message"]!["attachment"]!;
            return (Text(attachment["type"]), Text(attachment["payload"]!["url"]));
        }));
        Assert.Equal($"mid.{ig[0].Sequence}", deliveries["ig"].GetProperty("providerId").GetString());

        // Telegram has no templates: the text, then sendPhoto for the image and sendDocument for the other files.
        var tg = Ordered(h, "telegram");
        var bot = $"/bot{FakeProviders.BotToken}";
        Assert.Equal([$"{bot}/sendMessage", $"{bot}/sendPhoto", $"{bot}/sendDocument", $"{bot}/sendDocument"], tg.Select(c => c.Path));
        Assert.All(tg, c => Assert.Equal("987654", Text(c.Json!["chat_id"])));
        Assert.Equal("Disk almost full\n\ndb-1 is at 93%.", Text(tg[0].Json!["text"]));
        Assert.Equal(Chart, Text(tg[1].Json!["photo"]));
        Assert.Equal("Disk usage, last 7 days", Text(tg[1].Json!["caption"]));
        Assert.Equal(Report, Text(tg[2].Json!["document"]));
        Assert.Equal("The full report", Text(tg[2].Json!["caption"]));
        Assert.Equal(Voice, Text(tg[3].Json!["document"]));
        Assert.Equal($"987654:{tg[0].Sequence}", deliveries["tg"].GetProperty("providerId").GetString());

        // Slack: an image block for the image, links for the rest.
        var slack = Assert.Single(h.Fake.CallsTo("slack")).Json!;
        var blocks = slack["blocks"]!.AsArray();
        Assert.Equal(["header", "section", "image", "section", "section"], blocks.Select(b => Text(b!["type"])));
        Assert.Equal(Chart, Text(blocks[2]!["image_url"]));
        Assert.Equal("Disk usage, last 7 days", Text(blocks[2]!["alt_text"]));
        Assert.Equal($"<{Report}|The full report>", Text(blocks[3]!["text"]!["text"]));
        Assert.Equal("mrkdwn", Text(blocks[3]!["text"]!["type"]));

        // Discord: the title embed, an image embed, and links in content.
        var discord = Assert.Single(h.Fake.CallsTo("discord")).Json!;
        var embeds = discord["embeds"]!.AsArray();
        Assert.Equal(2, embeds.Count);
        Assert.Equal("Disk almost full", Text(embeds[0]!["title"]));
        Assert.Equal(Chart, Text(embeds[1]!["image"]!["url"]));
        Assert.Equal("Disk usage, last 7 days", Text(embeds[1]!["description"]));
        Assert.Equal($"[The full report]({Report})\n[ignored for audio on WhatsApp]({Voice})", Text(discord["content"]));

        // The generic webhook lists the attachments; like every type without templates it gets the text instead.
        var hook = Assert.Single(h.Fake.CallsTo("webhook")).Json!;
        var listed = hook["attachments"]!.AsArray();
        Assert.Equal([Chart, Report, Voice], listed.Select(a => Text(a!["url"])));
        Assert.Equal(["image", "document", "audio"], listed.Select(a => Text(a!["kind"])));
        Assert.Equal("image/png", Text(listed[0]!["mimeType"]));
        Assert.Equal("Q3 report.pdf", Text(listed[1]!["fileName"]));
        Assert.Null(hook["template"]);
        Assert.Equal("db-1 is at 93%.", Text(hook["text"]));

        // What was accepted is shown back.
        Assert.Equal([Chart, Report, Voice], notification.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("url").GetString()));
        Assert.Equal("en_US", notification.GetProperty("template").GetProperty("language").GetString());
    }

    [Fact]
    public async Task A_retry_after_a_partial_send_repeats_nothing_the_provider_already_has()
    {
        await using var h = await ChannelHarness.StartAsync();
        var failures = 1;
        // The image message fails once with a 500 after the text went out.
        h.Fake.Behaviour = c => c.Provider == "whatsapp" && c.Json?["type"]?.GetValue<string>() == "image" && Interlocked.Decrement(ref failures) >= 0
            ? new FakeReply(500, """{"error":{"message":"Service temporarily unavailable","code":2}}""")
            : null;

        var id = await h.NotifyAsync(new
        {
            title = "Graph",
            content = "See the chart.",
            channels = new[] { "wa" },
            recipients = new[] { "15551230000" },
            attachments = new[] { new { url = Chart } },
        });
        var delivery = (await h.WaitSettledAsync(id)).GetProperty("deliveries")[0];

        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        var key = delivery.GetProperty("id").GetGuid().ToString();
        var calls = Ordered(h, "whatsapp");
        Assert.Equal([key, $"{key}:1", key, $"{key}:1"], calls.Select(c => c.IdempotencyKey));
        // The repeated text carried the same key, so the provider answered with the first message's id and sent it once.
        Assert.Equal($"wamid.{calls[0].Sequence}", delivery.GetProperty("providerId").GetString());
        Assert.Equal(2, h.Fake.SuccessesByKey[key]);
        Assert.Equal(1, h.Fake.SuccessesByKey[$"{key}:1"]);
        Assert.Equal(["retryable", "sent"], ConnectorContractTests.Attempts(await h.GetAsync($"v1/notifications/{id}"), "wa").EnumerateArray()
            .Select(a => a.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_dead_lettered_delivery_keeps_its_attachments_and_template_for_the_replay()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?> { ["Channels:Delivery:MaxAttempts"] = "1" });
        var down = true;
        h.Fake.Behaviour = _ => Volatile.Read(ref down) ? new FakeReply(503, """{"error":{"message":"down","code":2}}""") : null;

        var id = await h.NotifyAsync(new
        {
            title = "t",
            content = "x",
            channels = new[] { "wa" },
            recipients = new[] { "15551230000" },
            attachments = new[] { new { url = Report, fileName = "q3.pdf" } },
            template = Template,
        });
        var failed = (await h.WaitSettledAsync(id)).GetProperty("deliveries")[0];
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var before = h.Fake.Calls.Count;

        Volatile.Write(ref down, false);
        await h.PostAsync("v1/deliveries/dlq/replay", new { ids = new[] { failed.GetProperty("id").GetGuid() } }, HttpStatusCode.OK);
        await h.WaitSettledAsync(id, n => n.GetProperty("deliveries")[0].GetProperty("status").GetString() == "sent");

        var replayed = Ordered(h, "whatsapp").Where(c => c.Sequence > before).ToArray();
        Assert.Equal(["template", "document"], replayed.Select(c => Text(c.Json!["type"])));
        Assert.Equal("disk_alert", Text(replayed[0].Json!["template"]!["name"]));
        Assert.Equal(Report, Text(replayed[1].Json!["document"]!["link"]));
        Assert.Equal("q3.pdf", Text(replayed[1].Json!["document"]!["filename"]));
    }

    [Fact]
    public async Task The_channel_list_says_what_each_type_supports()
    {
        await using var h = await ChannelHarness.StartAsync();

        var channels = (await h.GetAsync("v1/channels")).GetProperty("channels").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("capabilities"));

        Assert.True(channels["wa"].GetProperty("templates").GetBoolean());
        Assert.Equal("media", channels["wa"].GetProperty("attachments").GetString());
        Assert.Equal("read", channels["wa"].GetProperty("finalStatus").GetString());
        Assert.False(channels["tg"].GetProperty("templates").GetBoolean());
        Assert.Equal("media", channels["tg"].GetProperty("attachments").GetString());
        Assert.Equal("sent", channels["tg"].GetProperty("finalStatus").GetString());
        Assert.Equal("images", channels["slack"].GetProperty("attachments").GetString());
        Assert.Equal("json", channels["hook"].GetProperty("attachments").GetString());
    }

    public static TheoryData<object, string> InvalidContent() => new()
    {
        { new { attachments = new[] { new { url = "ftp://files.example.com/a.png" } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = "file:///etc/passwd" } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = "/relative/a.png" } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = "javascript:alert(1)" } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = "http://127.0.0.1/a.png" } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = "http://localhost/a.png" } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = "https://10.0.0.8/a.png" } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = "https://example.com/" + new string('a', 2048) } } }, "attachments[0].url" },
        { new { attachments = new[] { new { url = (string?)Chart }, new { url = (string?)null } } }, "attachments[1].url" },
        { new { attachments = Enumerable.Range(0, 11).Select(i => new { url = $"https://example.com/{i}.png" }).ToArray() }, "attachments" },
        { new { attachments = new[] { new { url = Chart, mimeType = "png" } } }, "attachments[0].mimeType" },
        { new { template = new { language = "en" } }, "template.name" },
        { new { template = new { name = "disk_alert" } }, "template.language" },
        { new { template = new { name = "t", language = "en", parameters = Enumerable.Repeat("p", 101).ToArray() } }, "template.parameters" },
    };

    [Theory]
    [MemberData(nameof(InvalidContent))]
    public async Task Bad_attachments_or_templates_are_a_400_naming_the_field(object content, string field)
    {
        await using var h = await ChannelHarness.StartAsync();
        var body = JsonSerializer.SerializeToNode(new { title = "t", content = "x", channels = new[] { "wa" }, recipients = new[] { "1555" } })!.AsObject();
        foreach (var (key, value) in JsonSerializer.SerializeToNode(content)!.AsObject())
        {
            body[key] = value?.DeepClone();
        }

        var problem = await h.PostAsync("v1/notifications", body, HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(h.Fake.Calls);
    }

    private static FakeCall[] Ordered(ChannelHarness h, string provider) => h.Fake.CallsTo(provider).OrderBy(c => c.Sequence).ToArray();

    private static string Text(JsonNode? node) => node!.GetValue<string>();
}
