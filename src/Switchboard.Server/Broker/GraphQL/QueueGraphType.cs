using GraphQL.Types;
using Switchboard.Errors;
using Switchboard.Server.GraphQL;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class QueueGraphType : ObjectGraphType<QueueNode>
{
    public QueueGraphType()
    {
        Name = "Queue";
        Description = "A durable queue and its settings.";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Queue.Name);
        Field<NonNullGraphType<IntGraphType>>("leaseSeconds").Resolve(c => c.Source.Queue.Settings.LeaseSeconds);
        Field<NonNullGraphType<IntGraphType>>("maxDeliveries").Resolve(c => c.Source.Queue.Settings.MaxDeliveries);
        Field<StringGraphType>("deadLetterQueueName").Resolve(c => c.Source.Queue.Settings.DeadLetterQueue);
        Field<IntGraphType>("retentionSeconds").Resolve(c => c.Source.Queue.Settings.RetentionSeconds);
        Field<IntGraphType>("maxLength").Resolve(c => c.Source.Queue.Settings.MaxLength);
        Field<NonNullGraphType<IntGraphType>>("dedupWindowSeconds").Resolve(c => c.Source.Queue.Settings.DedupWindowSeconds);
        Field<NonNullGraphType<StringGraphType>>("ordering").Resolve(c => BrokerContracts.FormatOrdering(c.Source.Queue.Settings.Ordering));
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.Queue.CreatedAt);
        Field<NonNullGraphType<QueueStatsGraphType>>("stats")
            .ResolveAsync(async c => c.Source.Stats ?? await c.Broker().GetStatsAsync(c.Caller(), c.Source.Queue.Name, c.CancellationToken));
        Field<QueueGraphType>("deadLetterQueue")
            .Description("The dead-letter queue itself, when the queue has one.")
            .ResolveAsync(async c =>
            {
                if (c.Source.Queue.Settings.DeadLetterQueue is not { } name)
                {
                    return null;
                }
                try
                {
                    return new QueueNode(await c.Broker().GetQueueAsync(c.Caller(), name, c.CancellationToken), null);
                }
                catch (SwitchboardException ex) when (ex.Error == ErrorCodes.QueueNotFound)
                {
                    return null;
                }
            });
    }
}
