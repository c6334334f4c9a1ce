using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>Discord webhook with <c>?wait=true</c>, so the answer is the created message and its id.</summary>
internal sealed class DiscordConnector(ChannelHttp http) : IChannelConnector
{
    public string Type => ChannelTypes.Discord;

    public async Task<string?> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = new UriBuilder(instance.WebhookUrl!);
        url.Query = string.IsNullOrEmpty(url.Query) ? "wait=true" : url.Query.TrimStart('?') + "&wait=true";
        var color = message.Severity switch { "critical" => 0xD32F2F, "warning" => 0xF9A825, _ => 0x1976D2 };
        object body = string.IsNullOrEmpty(message.Title)
            ? new { content = message.Text }
            : new { content = (string?)null, embeds = new[] { new { title = message.Title, description = message.Text, color } } };
        var response = await http.PostJsonAsync(url.Uri, body, null, RetryAfter, null, cancellationToken).ConfigureAwait(false);
        return response?["id"]?.GetValue<string>();
    }

    // Discord's 429 body: { "retry_after": 1.5, "global": false } (seconds).
    private static TimeSpan? RetryAfter(JsonNode? body) =>
        body?["retry_after"] is JsonValue seconds ? TimeSpan.FromSeconds(seconds.GetValue<double>()) : null;
}
