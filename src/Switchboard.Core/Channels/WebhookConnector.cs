using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>
/// Generic outgoing webhook: a JSON body, <c>Idempotency-Key</c> (the delivery id), and, with a <c>Secret</c>,
/// <c>X-Switchboard-Timestamp</c> and <c>X-Switchboard-Signature: sha256=HEX(HMAC-SHA256(secret, "{timestamp}.{body}"))</c>
/// so receivers can verify the sender and reject replays.
/// </summary>
internal sealed class WebhookConnector(ChannelHttp http, TimeProvider time) : IChannelConnector
{
    public const string SignatureHeader = "X-Switchboard-Signature";
    public const string TimestampHeader = "X-Switchboard-Timestamp";
    public const string DeliveryHeader = "X-Switchboard-Delivery";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Type => ChannelTypes.Webhook;

    public async Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = message.DeliveryId,
            notificationId = message.NotificationId,
            channel = message.Instance,
            recipient = message.Recipient,
            title = message.Title,
            text = message.Text,
            severity = message.Severity,
            attachments = message.Files.Select(a => new { url = a.Url, mimeType = a.MimeType, fileName = a.FileName, caption = a.Caption, kind = a.Kind }),
            timestamp = now,
        }, Json);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, instance.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.DeliveryId.ToString());
        request.Headers.TryAddWithoutValidation(DeliveryHeader, message.DeliveryId.ToString());
        request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp);
        if (!string.IsNullOrEmpty(instance.Secret))
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, "sha256=" + Sign(instance.Secret, timestamp, body));
        }
        var response = await http.SendAsync(request, null, null, cancellationToken).ConfigureAwait(false);
        return new ProviderReceipt(response.Body is JsonObject obj && obj["id"] is JsonValue id ? id.ToString() : null, response.StatusCode);
    }

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }
}
