using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>
/// Discord webhook with <c>?wait=true</c>, so the answer is the created message and its id. A title makes an embed;
/// each image attachment is an embed with <c>image.url</c> (Discord shows at most 10 embeds), other files are links in
/// <c>content</c>.
/// </summary>
internal sealed class DiscordConnector(ChannelHttp http) : IChannelConnector
{
    private const int MaxEmbeds = 10;

    public string Type => ChannelTypes.Discord;

    public async Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = new UriBuilder(instance.WebhookUrl!);
        url.Query = string.IsNullOrEmpty(url.Query) ? "wait=true" : url.Query.TrimStart('?') + "&wait=true";
        var color = message.Severity switch { "critical" => 0xD32F2F, "warning" => 0xF9A825, _ => 0x1976D2 };
        var embeds = new JsonArray();
        var content = new List<string>();
        if (string.IsNullOrEmpty(message.Title))
        {
            content.Add(message.Text);
        }
        else
        {
            embeds.Add(new JsonObject { ["title"] = message.Title, ["description"] = message.Text, ["color"] = color });
        }
        foreach (var attachment in message.Files)
        {
            if (attachment.Kind == ChannelAttachment.Image && embeds.Count < MaxEmbeds)
            {
                var embed = new JsonObject { ["image"] = new JsonObject { ["url"] = attachment.Url }, ["color"] = color };
                if (!string.IsNullOrEmpty(attachment.Caption))
                {
                    embed["description"] = attachment.Caption;
                }
                embeds.Add(embed);
            }
            else
            {
                var label = string.IsNullOrEmpty(attachment.Caption) ? attachment.DisplayName : attachment.Caption;
                content.Add($"[{label}]({attachment.Url})");
            }
        }
        var body = new JsonObject { ["content"] = content.Count == 0 ? null : string.Join("\n", content) };
        if (embeds.Count > 0)
        {
            body["embeds"] = embeds;
        }
        var response = await http.PostJsonAsync(url.Uri, body, null, RetryAfter, null, cancellationToken).ConfigureAwait(false);
        return new ProviderReceipt(response.Body?["id"]?.GetValue<string>(), response.StatusCode);
    }

    // Discord's 429 body: { "retry_after": 1.5, "global": false } (seconds).
    private static TimeSpan? RetryAfter(JsonNode? body) =>
        body?["retry_after"] is JsonValue seconds ? TimeSpan.FromSeconds(seconds.GetValue<double>()) : null;
}
