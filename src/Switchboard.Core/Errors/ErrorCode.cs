namespace Switchboard.Errors;

/// <summary>A stable, machine-readable error: clients match on <see cref="Code"/>, never on the message.</summary>
public sealed record ErrorCode(string Code, int Status, string Title)
{
    /// <summary>The problem document's <c>type</c> URI, the same from a node and from the gateway.</summary>
    public string Type => $"https://switchboard.dev/problems/{Code}";
}
