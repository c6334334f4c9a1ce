using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Switchboard.Channels;

namespace Switchboard.Server.Tests.Channels;

/// <summary>Every connector against a fake speaking the provider's real request and response shapes.</summary>
public sealed class ConnectorContractTests
{
    [Fact]
    public async Task Every_http_connector_sends_the_providers_request_shape_and_records_its_message_id()
    {
        await using var h = await ChannelHarness.StartAsync();

        var id = await h.NotifyAsync(new
        {
            title = "Deploy finished",
            content = "Version 1.2.3 is live.",
            severity = "info",
            channels = new[] { "wa", "ig", "tg", "slack", "discord", "hook" },
            recipients = new object[] { new Dictionary<string, string> { ["whatsapp"] = "15551230000", ["ig"] = "IGSID-7", ["telegram"] = "987654" } },
        });
        var notification = await h.WaitSettledAsync(id);

        var deliveries = notification.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("channel").GetString()!);
        Assert.All(deliveries.Values, d => Assert.True("sent" == d.GetProperty("status").GetString(), d.ToString()));
        Assert.Null(notification.GetProperty("notSentReason").GetString());

        var wa = Assert.Single(h.Fake.CallsTo("whatsapp"));
        Assert.Equal("/v21.0/1055/messages", wa.Path);
        Assert.Equal($"Bearer {FakeProviders.WhatsAppToken}", wa.Header("Authorization"));
        Assert.Equal("whatsapp", wa.Json!["messaging_product"]!.GetValue<string>());
        Assert.Equal("15551230000", wa.Json["to"]!.GetValue<string>());
        Assert.Equal("text", wa.Json["type"]!.GetValue<string>());
        Assert.Contains("Version 1.2.3 is live.", wa.Json["text"]!["body"]!.GetValue<string>());
        Assert.Equal(deliveries["wa"].GetProperty("id").GetGuid().ToString(), wa.IdempotencyKey);
        Assert.Equal($"wamid.{wa.Sequence}", deliveries["wa"].GetProperty("providerId").GetString());

        var ig = Assert.Single(h.Fake.CallsTo("instagram"));
        Assert.Equal("/v21.0/me/messages", ig.Path);
        Assert.Equal("IGSID-7", ig.Json!["recipient"]!["id"]!.GetValue<string>());
        Assert.Equal($"mid.{ig.Sequence}", deliveries["ig"].GetProperty("providerId").GetString());

        var tg = Assert.Single(h.Fake.CallsTo("telegram"));
        Assert.Equal($"/bot{FakeProviders.BotToken}/sendMessage", tg.Path);
        Assert.Equal("987654", tg.Json!["chat_id"]!.GetValue<string>());
        Assert.Equal($"987654:{tg.Sequence}", deliveries["tg"].GetProperty("providerId").GetString());

        var slack = Assert.Single(h.Fake.CallsTo("slack"));
        Assert.Equal("Deploy finished: Version 1.2.3 is live.", slack.Json!["text"]!.GetValue<string>());
        Assert.Equal("header", slack.Json["blocks"]![0]!["type"]!.GetValue<string>());

        var discord = Assert.Single(h.Fake.CallsTo("discord"));
        Assert.Equal("/discord/42/dtoken?wait=true", discord.Path);
        Assert.Equal("Deploy finished", discord.Json!["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Equal($"11{discord.Sequence:D8}", deliveries["discord"].GetProperty("providerId").GetString());

        var hook = Assert.Single(h.Fake.CallsTo("webhook"));
        var timestamp = hook.Header("X-Switchboard-Timestamp")!;
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(FakeProviders.WebhookSecret),
            Encoding.UTF8.GetBytes(timestamp + "." + hook.Raw)));
        Assert.Equal(expected, hook.Header("X-Switchboard-Signature"));
        Assert.Equal(deliveries["hook"].GetProperty("id").GetGuid().ToString(), hook.IdempotencyKey);
        Assert.Equal("Deploy finished", hook.Json!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_channel_api_masks_every_secret_and_the_test_endpoint_reports_the_outcome()
    {
        await using var h = await ChannelHarness.StartAsync();

        var list = await h.GetAsync("v1/channels");
        var text = list.GetRawText();
        foreach (var secret in new[] { FakeProviders.WhatsAppToken, FakeProviders.BotToken, FakeProviders.WebhookSecret, "wa-app-secret", "dtoken", "XXXX" })
        {
            Assert.DoesNotContain(secret, text);
        }
        var wa = list.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "wa");
        Assert.Equal("********", wa.GetProperty("credentials").GetProperty("token").GetString());
        Assert.Equal("closed", wa.GetProperty("circuit").GetString());

        var ok = await h.PostAsync("v1/channels/tg/test", new { recipient = "555" }, HttpStatusCode.OK);
        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.ToString());
        Assert.StartsWith("555:", ok.GetProperty("providerId").GetString());

        h.Fake.Behaviour = c => new FakeReply(401, """{"ok":false,"error_code":401,"description":"Unauthorized"}""");
        var refused = await h.PostAsync("v1/channels/tg/test", new { recipient = "555" }, HttpStatusCode.OK);
        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal("telegram_401", refused.GetProperty("errorCode").GetString());
        Assert.Single(refused.GetProperty("attempts").EnumerateArray());

        var missing = await h.PostAsync("v1/channels/nope/test", new { }, HttpStatusCode.NotFound);
        Assert.Equal("channel_not_found", missing.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_is_refused_at_send_time_unless_allow_listed()
    {
        // An address literal is refused by the configuration check already; a name only DNS can judge, here the
        // machine's own name, is refused when sent to, because one of the addresses it resolves to is loopback or private.
        var host = Dns.GetHostName();
        var addresses = await Dns.GetHostAddressesAsync(host).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(addresses.Any(OutboundAddressGuard.IsInternal), $"{host} resolves to no loopback or private address: {string.Join(", ", addresses.Select(a => a.ToString()))}");
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?> { ["Channels:AllowedHosts:0"] = "10.1.2.3" }, providerHost: host);

        var result = await h.PostAsync("v1/channels/hook/test", new { }, HttpStatusCode.OK);

        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("address_refused", result.GetProperty("errorCode").GetString());
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task Notifications_need_the_send_scope_and_valid_input()
    {
        await using var h = await ChannelHarness.StartAsync();

        var invalid = await h.PostAsync("v1/notifications", new { title = "", content = "x", severity = "loud", channels = new[] { "wa" } },
            HttpStatusCode.BadRequest);
        var unknown = await h.PostAsync("v1/notifications", new { title = "t", content = "x", channels = new[] { "pager" } }, HttpStatusCode.NotFound);
        using var anonymous = h.Server.CreateClient();
        using var response = await anonymous.PostAsync("v1/notifications", JsonContent("""{"title":"t","content":"x","channels":["wa"]}"""))
            .WaitAsync(ChannelHarness.Timeout);

        Assert.Equal("validation_failed", invalid.GetProperty("code").GetString());
        Assert.True(invalid.GetProperty("errors").TryGetProperty("severity", out _));
        Assert.Equal("channel_not_found", unknown.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    internal static JsonElement Attempts(JsonElement notification, string channel) =>
        notification.GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("channel").GetString() == channel).GetProperty("attempts");
}
