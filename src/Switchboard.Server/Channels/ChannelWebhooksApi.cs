using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Channels;
using Switchboard.Errors;

using Switchboard.Server.Platform;

namespace Switchboard.Server.Channels;

/// <summary>
/// Provider webhooks, anonymous but authenticated by the provider's own scheme: Meta's <c>X-Hub-Signature-256</c>
/// (HMAC-SHA256 of the raw body with the app secret) and verification handshake, Telegram's secret-token header.
/// A request that fails the check is refused with 401 before anything is read into the store. Status reports move
/// deliveries forward only, so repeats and out-of-order reports are harmless. Contacts' messages land in their
/// conversations through <see cref="IInboundMessageHandler"/> (chat).
/// </summary>
internal static class ChannelWebhooksApi
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapChannelWebhooks(this IEndpointRouteBuilder routes)
    {
        // Providers call these; each request proves itself with the instance's signature or verify token instead.
        var hooks = routes.MapGroup("/v1/channels/{name}/webhook").WithTags("Channel webhooks").AllowAnonymous()
            .ProducesErrors(ErrorCodes.ChannelNotFound, ErrorCodes.InvalidSignature, ErrorCodes.Forbidden, ErrorCodes.PayloadTooLarge, ErrorCodes.BadRequest);
        hooks.MapGet("", Verify).Produces<string>(StatusCodes.Status200OK, "text/plain").WithName("VerifyChannelWebhook").WithSummary("Meta's subscription handshake (hub.mode, hub.verify_token, hub.challenge).");
        hooks.MapPost("", ReceiveAsync).WithName("ReceiveChannelWebhook").WithSummary("Status reports and inbound messages from the provider.");
        return routes;
    }

    private static ContentHttpResult Verify(string name, HttpContext context, ChannelRegistry registry)
    {
        var instance = registry.Get(name);
        var query = context.Request.Query;
        var token = query["hub.verify_token"].ToString();
        if (query["hub.mode"] == "subscribe" && !string.IsNullOrEmpty(instance.VerifyToken) && FixedEquals(token, instance.VerifyToken))
        {
            return TypedResults.Text(query["hub.challenge"].ToString(), "text/plain");
        }
        throw new SwitchboardException(ErrorCodes.Forbidden, "hub.mode must be 'subscribe' and hub.verify_token must match the instance's VerifyToken.");
    }

    private static async Task<Ok<WebhookReceipt>> ReceiveAsync(string name, HttpContext context, ChannelRegistry registry, IDeliveryStore store,
        DeliveryProcessor processor, IInboundMessageHandler inbox, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var instance = registry.Get(name);
        var body = await ReadBodyAsync(context.Request, ct);
        var logger = loggers.CreateLogger(typeof(ChannelWebhooksApi));
        switch (instance.Type)
        {
            case ChannelTypes.WhatsApp or ChannelTypes.Instagram:
                if (string.IsNullOrEmpty(instance.AppSecret) || !ValidMetaSignature(context.Request.Headers["X-Hub-Signature-256"].ToString(), body, instance.AppSecret))
                {
                    ChannelLog.WebhookRefused(logger, name, "X-Hub-Signature-256 missing or wrong");
                    throw new SwitchboardException(ErrorCodes.InvalidSignature, "X-Hub-Signature-256 is missing or does not match the body signed with the app secret.");
                }
                break;
            case ChannelTypes.Telegram:
                if (string.IsNullOrEmpty(instance.SecretToken)
                    || !FixedEquals(context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString(), instance.SecretToken))
                {
                    ChannelLog.WebhookRefused(logger, name, "X-Telegram-Bot-Api-Secret-Token missing or wrong");
                    throw new SwitchboardException(ErrorCodes.InvalidSignature, "X-Telegram-Bot-Api-Secret-Token is missing or wrong.");
                }
                break;
            default:
                throw new SwitchboardException(ErrorCodes.RouteNotFound, $"Channel instances of type '{instance.Type}' take no webhooks.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new SwitchboardException(ErrorCodes.MalformedJson, "The webhook body is not JSON.");
        }
        using (document)
        {
            var reports = instance.Type switch
            {
                ChannelTypes.WhatsApp => WhatsAppStatuses(document.RootElement),
                ChannelTypes.Instagram => InstagramStatuses(document.RootElement),
                _ => [],
            };
            var applied = 0;
            foreach (var report in reports)
            {
                var change = await store.UpdateByProviderIdAsync(name, report.ProviderId, report.Status, report.ErrorCode, report.ErrorMessage,
                    report.At ?? time.GetUtcNow(), ct);
                if (change?.StatusChanged == true)
                {
                    applied++;
                    await processor.PushStatusAsync(change, ct);
                }
            }
            // Contacts' messages: each lands in the contact's conversation before the provider gets its 200, so a
            // failure makes the provider redeliver, and the provider's message id keeps a redelivery from doubling it.
            var inbound = instance.Type switch
            {
                ChannelTypes.WhatsApp => InboundMessages.WhatsApp(name, document.RootElement),
                ChannelTypes.Instagram => InboundMessages.Instagram(name, document.RootElement),
                _ => InboundMessages.Telegram(name, document.RootElement),
            };
            var stored = 0;
            foreach (var message in inbound)
            {
                stored += await inbox.ReceiveAsync(message, instance.Inbox, ct) ? 1 : 0;
            }
            return TypedResults.Ok(new WebhookReceipt(reports.Count, applied, inbound.Count, stored));
        }
    }

    /// <summary>What the webhook did: status reports read and applied, contacts' messages read and newly stored.</summary>
    internal sealed record WebhookReceipt(int Reports, int Applied, int Messages, int Stored);

    private sealed record StatusReport(string ProviderId, string Status, string? ErrorCode, string? ErrorMessage, DateTimeOffset? At);

    /// <summary><c>entry[].changes[].value.statuses[]</c>: <c>{ id, status, timestamp, errors: [{ code, title }] }</c>.</summary>
    private static List<StatusReport> WhatsAppStatuses(JsonElement root)
    {
        var reports = new List<StatusReport>();
        foreach (var value in InboundMessages.WhatsAppValues(root))
        {
            foreach (var status in Each(value, "statuses"))
            {
                var id = Text(status, "id");
                var state = Text(status, "status");
                if (id is null || state is null || !DeliveryStatus.IsKnown(state))
                {
                    continue;
                }
                var error = Each(status, "errors").FirstOrDefault();
                var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) ? $"meta_{c.GetRawText()}" : null;
                var message = error.ValueKind == JsonValueKind.Object ? Text(error, "title") ?? Text(error, "message") : null;
                DateTimeOffset? at = long.TryParse(Text(status, "timestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
                reports.Add(new StatusReport(id, state, code, message, at));
            }
        }
        return reports;
    }

    /// <summary><c>entry[].messaging[]</c> with <c>delivery.mids[]</c> (delivered) or <c>read.mid</c> (read, <c>messaging_seen</c>).</summary>
    private static List<StatusReport> InstagramStatuses(JsonElement root)
    {
        var reports = new List<StatusReport>();
        foreach (var evt in Each(root, "entry").SelectMany(e => Each(e, "messaging")))
        {
            if (evt.TryGetProperty("delivery", out var delivery))
            {
                reports.AddRange(Each(delivery, "mids").Where(m => m.ValueKind == JsonValueKind.String)
                    .Select(m => new StatusReport(m.GetString()!, DeliveryStatus.Delivered, null, null, null)));
            }
            if (evt.TryGetProperty("read", out var read) && Text(read, "mid") is { } mid)
            {
                reports.Add(new StatusReport(mid, DeliveryStatus.Read, null, null, null));
            }
        }
        return reports;
    }

    private static IEnumerable<JsonElement> Each(JsonElement element, string property) => InboundMessages.Each(element, property);

    private static string? Text(JsonElement element, string property) => InboundMessages.Text(element, property);

    /// <summary><c>sha256=</c> + lower-case hex HMAC-SHA256 of the raw body, compared in constant time.</summary>
    internal static bool ValidMetaSignature(string header, byte[] body, string appSecret)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static bool FixedEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new SwitchboardException(ErrorCodes.PayloadTooLarge, $"A webhook body may be at most {MaxBodyBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
