namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    internal sealed record ChannelList(IReadOnlyList<ChannelInfo> Channels);

    internal sealed record ChannelTestBody(string? Recipient, string? Text);

    /// <summary>Lists the configured channel instances, credentials masked (<c>GET /v1/channels</c>; needs <c>channels:manage</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The instances in name order.</returns>
    public async Task<IReadOnlyList<ChannelInfo>> ListChannelsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<ChannelList>(HttpMethod.Get, "v1/channels", null, Auth.Required, cancellationToken).ConfigureAwait(false)).Channels;

    /// <summary>Sends a test message through one instance now and reports the outcome (<c>POST /v1/channels/{name}/test</c>).</summary>
    /// <param name="name">The channel instance.</param>
    /// <param name="recipient">The address to send to; null uses the instance's <c>DefaultRecipient</c>.</param>
    /// <param name="text">The message; null sends a standard test text.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether the provider accepted it, its message id, and every attempt.</returns>
    /// <exception cref="SwitchboardApiException"><c>channel_not_found</c>, <c>insufficient_scope</c>.</exception>
    public Task<ChannelTestResult> TestChannelAsync(string name, string? recipient = null, string? text = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SendAsync<ChannelTestResult>(HttpMethod.Post, $"v1/channels/{Uri.EscapeDataString(name)}/test", new ChannelTestBody(recipient, text),
            Auth.Required, cancellationToken);
    }
}
