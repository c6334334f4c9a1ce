using GraphQL.Types;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class HeaderGraphType : ObjectGraphType<KeyValuePair<string, string>>
{
    public HeaderGraphType()
    {
        Name = "Header";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("value").Resolve(c => c.Source.Value);
    }
}
