namespace Switchboard.Errors;

/// <summary>A stable, machine-readable error: clients match on <see cref="Code"/>, never on the message.</summary>
public sealed record ErrorCode(string Code, int Status, string Title);
