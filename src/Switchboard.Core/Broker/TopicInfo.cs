namespace Switchboard.Broker;

public sealed record TopicInfo(string Name, DateTimeOffset CreatedAt, int Subscriptions);
