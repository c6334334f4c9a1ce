using GraphQL.Types;

namespace Switchboard.Server.GraphQL;

internal sealed class HeaderInputGraphType : InputObjectGraphType<HeaderInput>
{
    public HeaderInputGraphType()
    {
        Name = "HeaderInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<StringGraphType>>("value");
    }
}
