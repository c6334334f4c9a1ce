namespace Switchboard.Broker;

/// <summary>The events the broker counts per queue.</summary>
public enum BrokerCounter
{
    Published,
    Delivered,
    Acked,
    Nacked,
    Redelivered,
    DeadLettered,
}
