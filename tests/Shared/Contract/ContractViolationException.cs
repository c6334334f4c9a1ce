namespace Switchboard.Tests.Contract;

/// <summary>A response that breaks the server's OpenAPI document; it fails the test that received it.</summary>
public sealed class ContractViolationException(IReadOnlyList<string> violations)
    : Exception("The response breaks the OpenAPI document:" + Environment.NewLine + string.Join(Environment.NewLine, violations))
{
    public IReadOnlyList<string> Violations { get; } = violations;
}
