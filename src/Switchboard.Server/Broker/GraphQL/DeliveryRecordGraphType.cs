using GraphQL.Types;
using Switchboard.Broker;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class DeliveryRecordGraphType : ObjectGraphType<DeliveryRecord>
{
    public DeliveryRecordGraphType()
    {
        Name = "DeliveryRecord";
        Description = "One failed delivery of a message.";
        Field<NonNullGraphType<IntGraphType>>("delivery").Resolve(c => c.Source.Delivery);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("deliveredAt").Resolve(c => c.Source.DeliveredAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("settledAt").Resolve(c => c.Source.SettledAt);
        Field<NonNullGraphType<StringGraphType>>("outcome").Resolve(c => c.Source.Outcome);
        Field<StringGraphType>("reason").Resolve(c => c.Source.Reason);
    }
}
