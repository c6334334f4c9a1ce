using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>
/// Telegram Bot API <c>sendMessage</c>. Errors carry <c>error_code</c> and, when throttled, <c>parameters.retry_after</c>.
/// The provider id is <c>{chat_id}:{message_id}</c> (message ids are unique per chat only).
/// </summary>
internal sealed class TelegramConnector(ChannelHttp http) : IChannelConnector
{
    public const string DefaultBaseUrl = "https://api.telegram.org";

    public string Type => ChannelTypes.Telegram;

    public async Task<string?> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = new Uri($"{(instance.BaseUrl ?? DefaultBaseUrl).TrimEnd('/')}/bot{instance.BotToken}/sendMessage");
        var text = string.IsNullOrEmpty(message.Title) ? message.Text : $"{message.Title}\n\n{message.Text}";
        var response = await http.PostJsonAsync(url, new { chat_id = message.Recipient, text }, null, RetryAfter, ErrorCode,
            cancellationToken).ConfigureAwait(false);
        var id = response?["result"]?["message_id"];
        if (response?["ok"]?.GetValue<bool>() != true || id is null)
        {
            throw new ProviderException("invalid_response", "Telegram answered without result.message_id.", retryable: false);
        }
        return $"{message.Recipient}:{id.ToJsonString()}";
    }

    private static TimeSpan? RetryAfter(JsonNode? body) =>
        body?["parameters"]?["retry_after"] is JsonValue seconds ? TimeSpan.FromSeconds(seconds.GetValue<double>()) : null;

    private static string? ErrorCode(JsonNode? body) =>
        body?["error_code"] is JsonValue code ? $"telegram_{code.ToJsonString()}" : null;
}
