namespace Switchboard.Server.Broker.GraphQL;

/// <summary>A message header as a mutation argument.</summary>
internal sealed class HeaderInput
{
    public string Name { get; set; } = "";

    public string Value { get; set; } = "";
}
