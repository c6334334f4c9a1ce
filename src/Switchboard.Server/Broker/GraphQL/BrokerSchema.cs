using GraphQL.Types;

namespace Switchboard.Server.Broker.GraphQL;

/// <summary>The broker as a graph. Resolvers are thin: every check and limit lives in <see cref="Switchboard.Broker.BrokerService"/>.</summary>
internal sealed class BrokerSchema : Schema
{
    public BrokerSchema()
    {
        Query = new BrokerQuery();
        Mutation = new BrokerMutation();
    }
}
