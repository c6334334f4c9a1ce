using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>
/// Telegram Bot API <c>sendMessage</c>, then per attachment <c>sendPhoto</c> (images) or <c>sendDocument</c> (other files),
/// each by URL with its caption; Telegram fetches the file. Errors carry <c>error_code</c> and, when throttled,
/// <c>parameters.retry_after</c>. The provider id is the text's <c>{chat_id}:{message_id}</c> (message ids are unique
/// per chat only).
/// </summary>
internal sealed class TelegramConnector(ChannelHttp http) : IChannelConnector
{
    public const string DefaultBaseUrl = "https://api.telegram.org";

    public string Type => ChannelTypes.Telegram;

    public async Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var bot = $"{(instance.BaseUrl ?? DefaultBaseUrl).TrimEnd('/')}/bot{instance.BotToken}";
        var text = string.IsNullOrEmpty(message.Title) ? message.Text : $"{message.Title}\n\n{message.Text}";
        var (id, status) = await CallAsync(new Uri($"{bot}/sendMessage"), new { chat_id = message.Recipient, text }, cancellationToken).ConfigureAwait(false);
        foreach (var attachment in message.Files)
        {
            var image = attachment.Kind == ChannelAttachment.Image;
            var body = new JsonObject { ["chat_id"] = message.Recipient, [image ? "photo" : "document"] = attachment.Url };
            if (!string.IsNullOrEmpty(attachment.Caption))
            {
                body["caption"] = attachment.Caption;
            }
            var method = image ? "sendPhoto" : "sendDocument";
            (_, status) = await CallAsync(new Uri($"{bot}/{method}"), body, cancellationToken).ConfigureAwait(false);
        }
        return new ProviderReceipt($"{message.Recipient}:{id}", status);
    }

    private async Task<(string Id, int Status)> CallAsync(Uri url, object body, CancellationToken cancellationToken)
    {
        var (status, response) = await http.PostJsonAsync(url, body, null, RetryAfter, ErrorCode, cancellationToken).ConfigureAwait(false);
        var id = response?["result"]?["message_id"];
        if (response?["ok"]?.GetValue<bool>() != true || id is null)
        {
            throw new ProviderException("invalid_response", "Telegram answered without result.message_id.", retryable: false);
        }
        return (id.ToJsonString(), status);
    }

    private static TimeSpan? RetryAfter(JsonNode? body) =>
        body?["parameters"]?["retry_after"] is JsonValue seconds ? TimeSpan.FromSeconds(seconds.GetValue<double>()) : null;

    private static string? ErrorCode(JsonNode? body) =>
        body?["error_code"] is JsonValue code ? $"telegram_{code.ToJsonString()}" : null;
}
