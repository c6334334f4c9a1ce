namespace Switchboard.Client;

/// <summary>Binds a topic to a queue: messages whose subject matches <paramref name="Pattern"/> and whose headers contain <paramref name="Headers"/> are copied to <paramref name="Queue"/>.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Queue">The queue that receives the copies.</param>
/// <param name="Pattern">A subject pattern, e.g. <c>orders.*</c> or <c>orders.&gt;</c>.</param>
/// <param name="Headers">Headers a message must carry with these values; empty for none.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record TopicSubscription(Guid Id, string Topic, string Queue, string Pattern, IReadOnlyDictionary<string, string> Headers, DateTimeOffset CreatedAt);
