namespace Switchboard.Channels;

/// <summary>Slack incoming webhook: <c>text</c> plus <c>blocks</c>. Slack returns no message id.</summary>
internal sealed class SlackConnector(ChannelHttp http) : IChannelConnector
{
    public string Type => ChannelTypes.Slack;

    public async Task<string?> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var blocks = new List<object>();
        if (!string.IsNullOrEmpty(message.Title))
        {
            blocks.Add(new { type = "header", text = new { type = "plain_text", text = message.Title } });
        }
        blocks.Add(new { type = "section", text = new { type = "mrkdwn", text = message.Text } });
        var fallback = string.IsNullOrEmpty(message.Title) ? message.Text : $"{message.Title}: {message.Text}";
        await http.PostJsonAsync(new Uri(instance.WebhookUrl!), new { text = fallback, blocks }, null, null, null, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
