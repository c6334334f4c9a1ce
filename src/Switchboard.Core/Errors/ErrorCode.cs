namespace Switchboard.Errors;

/// <summary>A stable, machine-readable error: clients match on <see cref="Code"/>, never on the message.</summary>
/// <param name="Members">The extension members a problem with this code may carry besides the standard ones
/// (e.g. <c>retryAfterSeconds</c>); the OpenAPI document declares them from here.</param>
public sealed record ErrorCode(string Code, int Status, string Title, params string[] Members)
{
    /// <summary>The problem document's <c>type</c> URI, the same from a node and from the gateway.</summary>
    public string Type => $"https://switchboard.dev/problems/{Code}";
}
