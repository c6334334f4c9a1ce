namespace Switchboard.Broker;

/// <summary>Configuration section <c>Broker:Hub</c>: the streaming hub at <c>/hubs/broker</c>.</summary>
public sealed class BrokerHubOptions
{
    /// <summary>
    /// A subscription that holds leased messages and gets no <c>Ack</c>, <c>Nack</c> or <c>Credit</c> on its connection
    /// for this long is taken for a client that stopped reading: it is ended and its messages are released.
    /// </summary>
    public int IdleSubscriptionSeconds { get; set; } = 60;
}
