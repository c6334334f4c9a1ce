namespace Switchboard.Client;

/// <summary>A topic that fans messages out to its subscriptions.</summary>
/// <param name="Name">The topic's name.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="Subscriptions">How many subscriptions it has.</param>
public sealed record Topic(string Name, DateTimeOffset CreatedAt, int Subscriptions);
