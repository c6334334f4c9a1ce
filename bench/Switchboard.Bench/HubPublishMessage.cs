namespace Switchboard.Bench;

/// The hub's publish message, by name (MessagePack maps properties by name); public for the serializer.
public sealed class HubPublishMessage
{
    public byte[]? Body { get; init; }
}
