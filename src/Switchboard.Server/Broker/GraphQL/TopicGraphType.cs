using GraphQL.Types;
using Switchboard.Broker;
using Switchboard.Server.GraphQL;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class TopicGraphType : ObjectGraphType<TopicInfo>
{
    public TopicGraphType()
    {
        Name = "Topic";
        Description = "A topic that fans messages out to its subscriptions.";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<IntGraphType>>("subscriptionCount").Resolve(c => c.Source.Subscriptions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SubscriptionGraphType>>>>("subscriptions")
            .ResolveAsync(async c => await c.Broker().ListSubscriptionsAsync(c.Caller(), c.Source.Name, c.CancellationToken));
    }
}
