using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>
/// WhatsApp Cloud API: <c>POST /{version}/{phoneNumberId}/messages</c>; the provider id is <c>messages[0].id</c>. A message
/// is the text (or, when given, the template) followed by one media message per attachment, as WhatsApp carries one
/// item per message. The first message's id is the delivery's provider id; each part has its own idempotency key
/// (<c>{deliveryId}</c>, then <c>{deliveryId}:{n}</c>) so a retry after a partial send repeats nothing.
/// </summary>
internal sealed class WhatsAppConnector(ChannelHttp http) : IChannelConnector
{
    public const string DefaultBaseUrl = "https://graph.facebook.com";

    public string Type => ChannelTypes.WhatsApp;

    public async Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = new Uri($"{(instance.BaseUrl ?? DefaultBaseUrl).TrimEnd('/')}/{instance.ApiVersion}/{instance.PhoneNumberId}/messages");
        var parts = new List<JsonObject> { message.Template is { } template ? TemplateBody(message, template) : TextBody(message) };
        parts.AddRange(message.Files.Select(a => MediaBody(message, a)));
        string? first = null;
        var status = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var key = i == 0 ? message.DeliveryId.ToString() : $"{message.DeliveryId}:{i}";
            var response = await http.PostJsonAsync(url, parts[i], h =>
            {
                h.Authorization = new("Bearer", instance.Token);
                h.TryAddWithoutValidation("Idempotency-Key", key);
            }, null, MetaText.ErrorCode, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            var id = response.Body?["messages"]?[0]?["id"]?.GetValue<string>()
                ?? throw new ProviderException("invalid_response", "WhatsApp answered without messages[0].id.", retryable: false);
            first ??= id;
        }
        return new ProviderReceipt(first, status);
    }

    private static JsonObject Envelope(ChannelMessage message, string type) =>
        new() { ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual", ["to"] = message.Recipient, ["type"] = type };

    private static JsonObject TextBody(ChannelMessage message)
    {
        var body = Envelope(message, "text");
        body["text"] = new JsonObject { ["body"] = MetaText.Compose(message), ["preview_url"] = false };
        return body;
    }

    /// <summary><c>{ type: "template", template: { name, language: { code }, components: [{ type: "body", parameters }] } }</c>.</summary>
    private static JsonObject TemplateBody(ChannelMessage message, ChannelTemplate template)
    {
        var content = new JsonObject { ["name"] = template.Name, ["language"] = new JsonObject { ["code"] = template.Language } };
        if (template.Parameters.Count > 0)
        {
            var parameters = new JsonArray();
            foreach (var text in template.Parameters)
            {
                parameters.Add(new JsonObject { ["type"] = "text", ["text"] = text });
            }
            content["components"] = new JsonArray(new JsonObject { ["type"] = "body", ["parameters"] = parameters });
        }
        var body = Envelope(message, "template");
        body["template"] = content;
        return body;
    }

    /// <summary><c>{ type: kind, kind: { link, caption?, filename? } }</c>: audio takes no caption, only documents a file name.</summary>
    private static JsonObject MediaBody(ChannelMessage message, ChannelAttachment attachment)
    {
        var kind = attachment.Kind;
        var media = new JsonObject { ["link"] = attachment.Url };
        if (!string.IsNullOrEmpty(attachment.Caption) && kind != ChannelAttachment.Audio)
        {
            media["caption"] = attachment.Caption;
        }
        if (kind == ChannelAttachment.Document)
        {
            media["filename"] = attachment.DisplayName;
        }
        var body = Envelope(message, kind);
        body[kind] = media;
        return body;
    }
}
