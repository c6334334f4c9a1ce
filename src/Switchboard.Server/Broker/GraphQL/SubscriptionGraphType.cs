using GraphQL.Types;
using Switchboard.Broker;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class SubscriptionGraphType : ObjectGraphType<Subscription>
{
    public SubscriptionGraphType()
    {
        Name = "Subscription";
        Description = "Binds a topic to a queue by subject pattern and headers.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("queue").Resolve(c => c.Source.Queue);
        Field<NonNullGraphType<StringGraphType>>("pattern").Resolve(c => c.Source.Pattern);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HeaderGraphType>>>>("headers").Resolve(c => c.Source.Headers.ToArray());
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
    }
}
