using GraphQL.Types;
using Switchboard.Broker;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class MessageGraphType : ObjectGraphType<BrokerMessage>
{
    public MessageGraphType()
    {
        Name = "Message";
        Description = "A message as a peek sees it.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("body")
            .Description("The body: UTF-8 text, or base64 when bodyEncoding is 'base64'.")
            .Resolve(c => BodyCodec.ToText(c.Source.Body.Span, c.Source.Encoding).Body);
        Field<NonNullGraphType<StringGraphType>>("bodyEncoding").Resolve(c => BodyCodec.ToText(c.Source.Body.Span, c.Source.Encoding).Label);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HeaderGraphType>>>>("headers").Resolve(c => c.Source.Headers.ToArray());
        Field<NonNullGraphType<IntGraphType>>("deliveryCount").Resolve(c => c.Source.DeliveryCount);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("enqueuedAt").Resolve(c => c.Source.EnqueuedAt);
        Field<NonNullGraphType<IntGraphType>>("priority").Resolve(c => c.Source.Priority);
        Field<StringGraphType>("groupKey").Resolve(c => c.Source.GroupKey);
        Field<NonNullGraphType<StringGraphType>>("state").Resolve(c => c.Source.State);
        Field<StringGraphType>("sourceQueue").Resolve(c => c.Source.SourceQueue);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeliveryRecordGraphType>>>>("history").Resolve(c => c.Source.History);
    }
}
