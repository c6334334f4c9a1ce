using GraphQL.Types;
using Switchboard.Broker;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class QueueStatsGraphType : ObjectGraphType<QueueStats>
{
    public QueueStatsGraphType()
    {
        Name = "QueueStats";
        Description = "A queue's counters at one moment.";
        Field<NonNullGraphType<LongGraphType>>("depth").Resolve(c => c.Source.Depth);
        Field<NonNullGraphType<LongGraphType>>("ready").Resolve(c => c.Source.Ready);
        Field<NonNullGraphType<LongGraphType>>("inFlight").Resolve(c => c.Source.InFlight);
        Field<NonNullGraphType<LongGraphType>>("delayed").Resolve(c => c.Source.Delayed);
        Field<NonNullGraphType<LongGraphType>>("deadLetterDepth").Resolve(c => c.Source.DeadLetterDepth);
        Field<FloatGraphType>("oldestAgeSeconds").Resolve(c => c.Source.OldestAgeSeconds);
    }
}
