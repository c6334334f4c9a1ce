namespace Switchboard.Channels;

/// <summary>Speaks one provider's API. Throws <see cref="ProviderException"/> for anything but a successful send.</summary>
public interface IChannelConnector
{
    /// <summary>The <see cref="ChannelTypes"/> value this connector serves.</summary>
    string Type { get; }

    /// <summary>Sends and returns the provider's id of the message, when it gives one, and the status it answered with.</summary>
    Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken);
}
