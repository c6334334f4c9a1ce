namespace Switchboard.Errors;

/// <summary>
/// A failure the caller can act on. Services throw it; every transport (REST, hubs, GraphQL, CLI)
/// turns it into its own error shape with the same <see cref="ErrorCode"/>.
/// </summary>
public sealed class SwitchboardException(ErrorCode error, string? detail = null, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(detail ?? error.Title)
{
    public ErrorCode Error { get; } = error;

    /// <summary>Field-level problems, keyed by the field's JSON path (camelCase).</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    /// <summary>Extra members for the problem document, e.g. <c>retryAfterSeconds</c>.</summary>
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    public static SwitchboardException Validation(string field, string message) =>
        new(ErrorCodes.ValidationFailed, message, new Dictionary<string, string[]> { [field] = [message] });

    public static SwitchboardException NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found.");
}
