using GraphQL.Types;
using Switchboard.Broker;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class PublishResultGraphType : ObjectGraphType<PublishResult>
{
    public PublishResultGraphType()
    {
        Name = "PublishResult";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<BooleanGraphType>>("duplicate").Resolve(c => c.Source.Duplicate);
    }
}
