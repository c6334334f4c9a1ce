namespace Switchboard.Server.Broker;

/// <summary>The durable acknowledgement of one published message.</summary>
public sealed class BrokerHubPublished
{
    public Guid Id { get; init; }

    public bool Duplicate { get; init; }
}
