using Switchboard.Broker;

namespace Switchboard.Server.Broker.GraphQL;

/// <summary>A queue as the graph sees it; <see cref="Stats"/> is filled when the query that found it already had them.</summary>
internal sealed record QueueNode(QueueInfo Queue, QueueStats? Stats);
