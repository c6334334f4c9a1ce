
namespace Switchboard.Channels;

/// <summary>WhatsApp Cloud API: <c>POST /{version}/{phoneNumberId}/messages</c>; the provider id is <c>messages[0].id</c>.</summary>
internal sealed class WhatsAppConnector(ChannelHttp http) : IChannelConnector
{
    public const string DefaultBaseUrl = "https://graph.facebook.com";

    public string Type => ChannelTypes.WhatsApp;

    public async Task<string?> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = new Uri($"{(instance.BaseUrl ?? DefaultBaseUrl).TrimEnd('/')}/{instance.ApiVersion}/{instance.PhoneNumberId}/messages");
        var body = new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to = message.Recipient,
            type = "text",
            text = new { body = MetaText.Compose(message), preview_url = false },
        };
        var response = await http.PostJsonAsync(url, body, h =>
        {
            h.Authorization = new("Bearer", instance.Token);
            h.TryAddWithoutValidation("Idempotency-Key", message.DeliveryId.ToString());
        }, null, MetaText.ErrorCode, cancellationToken).ConfigureAwait(false);
        return response?["messages"]?[0]?["id"]?.GetValue<string>()
            ?? throw new ProviderException("invalid_response", "WhatsApp answered without messages[0].id.", retryable: false);
    }
}
