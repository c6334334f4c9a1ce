namespace Switchboard.Channels;

/// <summary>
/// Slack incoming webhook: <c>text</c> plus <c>blocks</c>; an image attachment is an <c>image</c> block, any other file a
/// link in a <c>section</c>. Slack returns no message id.
/// </summary>
internal sealed class SlackConnector(ChannelHttp http) : IChannelConnector
{
    public string Type => ChannelTypes.Slack;

    public async Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var blocks = new List<object>();
        if (!string.IsNullOrEmpty(message.Title))
        {
            blocks.Add(new { type = "header", text = new { type = "plain_text", text = message.Title } });
        }
        blocks.Add(new { type = "section", text = new { type = "mrkdwn", text = message.Text } });
        foreach (var attachment in message.Files)
        {
            var label = string.IsNullOrEmpty(attachment.Caption) ? attachment.DisplayName : attachment.Caption;
            blocks.Add(attachment.Kind == ChannelAttachment.Image
                ? (object)new { type = "image", image_url = attachment.Url, alt_text = label }
                : new { type = "section", text = new { type = "mrkdwn", text = $"<{attachment.Url}|{Escape(label)}>" } });
        }
        var fallback = string.IsNullOrEmpty(message.Title) ? message.Text : $"{message.Title}: {message.Text}";
        var response = await http.PostJsonAsync(new Uri(instance.WebhookUrl!), new { text = fallback, blocks }, null, null, null, cancellationToken).ConfigureAwait(false);
        return new ProviderReceipt(null, response.StatusCode);
    }

    // Slack's mrkdwn escapes exactly these three characters.
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
