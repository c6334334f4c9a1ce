using Switchboard.Errors;

namespace Switchboard.Server.WebConsole.Shared;

/// <summary>
/// A failed action as the console shows it: the same <c>code</c>, detail and per-field messages the REST API puts in
/// its problem document, because both come from the same <see cref="SwitchboardException"/>.
/// </summary>
public sealed record Problem(string Code, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static Problem From(SwitchboardException exception) =>
        new(exception.Error.Code, exception.Error.Title, exception.Message,
            exception.Errors is { } errors ? errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase) : new Dictionary<string, string[]>());

    /// <summary>
    /// The messages for one field: the API's <c>errors</c> for it, or the detail of a problem whose code is about that
    /// field (<c>invalid_name</c> for a name), so it shows where it was caused. Empty when the field is fine.
    /// </summary>
    public IReadOnlyList<string> For(string field, IReadOnlyCollection<string>? codes = null) =>
        Errors.TryGetValue(field, out var messages) ? messages
        : Errors.Count == 0 && codes is not null && codes.Contains(Code) && Detail is not null ? [Detail]
        : [];

    /// <summary>True when no field shows this problem, so the form shows it as a whole.</summary>
    public bool Unplaced(IReadOnlyCollection<string>? codes = null) => Errors.Count == 0 && (codes is null || !codes.Contains(Code));

    /// <summary>Runs an action; a <see cref="SwitchboardException"/> becomes the problem to show, anything else propagates.</summary>
    public static async Task<Problem?> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (SwitchboardException exception)
        {
            return From(exception);
        }
    }
}
