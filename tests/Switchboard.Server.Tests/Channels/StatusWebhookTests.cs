using System.Net;
using System.Text;

namespace Switchboard.Server.Tests.Channels;

/// <summary>Provider status webhooks: signed, idempotent, and never moving a delivery backwards.</summary>
public sealed class StatusWebhookTests
{
    private static string WhatsAppStatus(string id, string status, long timestamp, string? errorCode = null)
    {
        var errors = errorCode is null ? "" : ""","errors":[{"code":CODE,"title":"Message undeliverable"}]""".Replace("CODE", errorCode, StringComparison.Ordinal);
        return """
            {"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"15550000","phone_number_id":"1055"},
            "statuses":[{"id":"ID","status":"STATUS","timestamp":"TS","recipient_id":"15550001"ERRORS}]}}]}]}
            """.Replace("ID", id, StringComparison.Ordinal).Replace("STATUS", status, StringComparison.Ordinal)
            .Replace("TS", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("ERRORS", errors, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> PostSignedAsync(ChannelHarness h, string channel, string body, string? signature,
        string header = "X-Hub-Signature-256")
    {
        using var client = h.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/channels/{channel}/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(header, signature);
        }
        using var response = await client.SendAsync(request).WaitAsync(ChannelHarness.Timeout);
        return response.StatusCode;
    }

    private static async Task<(Guid Id, string ProviderId)> SendOneAsync(ChannelHarness h, string channel, string recipient)
    {
        var id = await h.NotifyAsync(new { title = "Hi", content = "Your order shipped", channels = new[] { channel }, recipients = new[] { recipient } });
        var delivery = (await h.WaitSettledAsync(id)).GetProperty("deliveries")[0];
        Assert.Equal("sent", delivery.GetProperty("status").GetString());
        return (delivery.GetProperty("id").GetGuid(), delivery.GetProperty("providerId").GetString()!);
    }

    private static async Task<string> StatusAsync(ChannelHarness h, Guid delivery) =>
        (await h.GetAsync($"v1/deliveries/{delivery}")).GetProperty("status").GetString()!;

    [Fact]
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_right_token()
    {
        await using var h = await ChannelHarness.StartAsync();
        using var client = h.Server.CreateClient();

        using var ok = await client.GetAsync("v1/channels/wa/webhook?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=1158201444").WaitAsync(ChannelHarness.Timeout);
        using var wrong = await client.GetAsync("v1/channels/wa/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1").WaitAsync(ChannelHarness.Timeout);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task WhatsApp_statuses_out_of_order_and_repeated_never_move_a_delivery_backwards()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (delivery, providerId) = await SendOneAsync(h, "wa", "15550001");
        const string secret = "wa-app-secret";

        var read = WhatsAppStatus(providerId, "read", 1700000300);
        Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "wa", read, FakeProviders.MetaSignature(read, secret)));
        Assert.Equal("read", await StatusAsync(h, delivery));

        foreach (var late in new[] { "delivered", "sent", "delivered", "read" })
        {
            var body = WhatsAppStatus(providerId, late, 1700000200);
            Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "wa", body, FakeProviders.MetaSignature(body, secret)));
        }
        var failedLate = WhatsAppStatus(providerId, "failed", 1700000400, "131026");
        Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "wa", failedLate, FakeProviders.MetaSignature(failedLate, secret)));

        Assert.Equal("read", await StatusAsync(h, delivery));
    }

    [Fact]
    public async Task A_missing_or_wrong_signature_is_refused_with_401_and_changes_nothing()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (delivery, providerId) = await SendOneAsync(h, "wa", "15550001");
        var body = WhatsAppStatus(providerId, "delivered", 1700000300);

        Assert.Equal(HttpStatusCode.Unauthorized, await PostSignedAsync(h, "wa", body, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostSignedAsync(h, "wa", body, FakeProviders.MetaSignature(body, "not-the-secret")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostSignedAsync(h, "wa", body, FakeProviders.MetaSignature(body + " ", "wa-app-secret")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostSignedAsync(h, "wa", body, "sha256=zz"));
        Assert.Equal("sent", await StatusAsync(h, delivery));

        Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "wa", body, FakeProviders.MetaSignature(body, "wa-app-secret")));
        Assert.Equal("delivered", await StatusAsync(h, delivery));
    }

    [Fact]
    public async Task A_failed_status_records_the_providers_error()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (delivery, providerId) = await SendOneAsync(h, "wa", "15550001");
        var body = WhatsAppStatus(providerId, "failed", 1700000300, "131026");

        Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "wa", body, FakeProviders.MetaSignature(body, "wa-app-secret")));

        var stored = await h.GetAsync($"v1/deliveries/{delivery}");
        Assert.Equal("failed", stored.GetProperty("status").GetString());
        Assert.Equal("meta_131026", stored.GetProperty("errorCode").GetString());
        Assert.Equal("Message undeliverable", stored.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Instagram_delivery_and_seen_events_advance_the_status()
    {
        await using var h = await ChannelHarness.StartAsync();
        var (delivery, mid) = await SendOneAsync(h, "ig", "IGSID-1");
        var seen = """{"object":"instagram","entry":[{"id":"IG","time":1700000000,"messaging":[{"sender":{"id":"IGSID-1"},"recipient":{"id":"IG"},"timestamp":1700000000,"read":{"mid":"MID"}}]}]}"""
            .Replace("MID", mid, StringComparison.Ordinal);
        var delivered = """{"object":"instagram","entry":[{"id":"IG","time":1700000000,"messaging":[{"sender":{"id":"IGSID-1"},"recipient":{"id":"IG"},"timestamp":1700000000,"delivery":{"mids":["MID"],"watermark":1700000000}}]}]}"""
            .Replace("MID", mid, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "ig", seen, FakeProviders.MetaSignature(seen, "ig-app-secret")));
        Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "ig", delivered, FakeProviders.MetaSignature(delivered, "ig-app-secret")));

        Assert.Equal("read", await StatusAsync(h, delivery));
    }

    [Fact]
    public async Task Telegram_webhooks_need_the_secret_token()
    {
        await using var h = await ChannelHarness.StartAsync();
        const string update = """{"update_id":1,"message":{"message_id":5,"chat":{"id":777,"type":"private"},"date":1700000000,"text":"hi"}}""";

        Assert.Equal(HttpStatusCode.Unauthorized, await PostSignedAsync(h, "tg", update, "wrong", "X-Telegram-Bot-Api-Secret-Token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostSignedAsync(h, "tg", update, null));
        Assert.Equal(HttpStatusCode.OK, await PostSignedAsync(h, "tg", update, "tg-secret", "X-Telegram-Bot-Api-Secret-Token"));
    }
}
