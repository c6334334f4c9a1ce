using GraphQL.Types;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class HeaderInputGraphType : InputObjectGraphType<HeaderInput>
{
    public HeaderInputGraphType()
    {
        Name = "HeaderInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<StringGraphType>>("value");
    }
}
