namespace Switchboard.Channels;

/// <summary>Instagram Messaging: <c>POST /{version}/me/messages</c> with <c>{ recipient: { id }, message: { text } }</c>.</summary>
internal sealed class InstagramConnector(ChannelHttp http) : IChannelConnector
{
    public const string DefaultBaseUrl = "https://graph.instagram.com";

    public string Type => ChannelTypes.Instagram;

    public async Task<string?> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = new Uri($"{(instance.BaseUrl ?? DefaultBaseUrl).TrimEnd('/')}/{instance.ApiVersion}/me/messages");
        var body = new { recipient = new { id = message.Recipient }, message = new { text = MetaText.Compose(message) } };
        var response = await http.PostJsonAsync(url, body, h => h.Authorization = new("Bearer", instance.Token), null, MetaText.ErrorCode,
            cancellationToken).ConfigureAwait(false);
        return response?["message_id"]?.GetValue<string>()
            ?? throw new ProviderException("invalid_response", "Instagram answered without message_id.", retryable: false);
    }
}
