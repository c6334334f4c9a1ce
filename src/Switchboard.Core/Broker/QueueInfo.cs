namespace Switchboard.Broker;

public sealed record QueueInfo(string Name, QueueSettings Settings, DateTimeOffset CreatedAt);
