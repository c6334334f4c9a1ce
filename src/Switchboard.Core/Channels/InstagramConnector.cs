namespace Switchboard.Channels;

/// <summary>
/// Instagram Messaging: <c>POST /{version}/me/messages</c> with <c>{ recipient: { id }, message: { text } }</c>, then one
/// <c>{ message: { attachment: { type, payload: { url } } } }</c> per attachment (Instagram takes text or an attachment,
/// never both). The text's <c>message_id</c> is the provider id.
/// </summary>
internal sealed class InstagramConnector(ChannelHttp http) : IChannelConnector
{
    public const string DefaultBaseUrl = "https://graph.instagram.com";

    public string Type => ChannelTypes.Instagram;

    public async Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = new Uri($"{(instance.BaseUrl ?? DefaultBaseUrl).TrimEnd('/')}/{instance.ApiVersion}/me/messages");
        var recipient = new { id = message.Recipient };
        var parts = new List<object> { new { recipient, message = new { text = MetaText.Compose(message) } } };
        parts.AddRange(message.Files.Select(a => new
        {
            recipient,
            message = new { attachment = new { type = AttachmentType(a.Kind), payload = new { url = a.Url } } },
        }));
        string? first = null;
        var status = 0;
        foreach (var body in parts)
        {
            var response = await http.PostJsonAsync(url, body, h => h.Authorization = new("Bearer", instance.Token), null, MetaText.ErrorCode,
                cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            first ??= response.Body?["message_id"]?.GetValue<string>()
                ?? throw new ProviderException("invalid_response", "Instagram answered without message_id.", retryable: false);
        }
        return new ProviderReceipt(first, status);
    }

    /// <summary>Instagram's attachment types: image, video, audio or file.</summary>
    private static string AttachmentType(string kind) => kind == ChannelAttachment.Document ? "file" : kind;
}
