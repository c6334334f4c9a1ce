namespace Switchboard.Errors;

/// <summary>Collects field errors and throws them together, so a caller learns every problem at once.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
        return this;
    }

    public Validation Require(bool condition, string field, string message) => condition ? this : Add(field, message);

    public void ThrowIfInvalid()
    {
        if (IsValid)
        {
            return;
        }
        var errors = _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        var first = errors.First();
        var detail = errors.Count == 1 ? first.Value[0] : $"{errors.Count} fields are invalid, first {first.Key}: {first.Value[0]}";
        throw new SwitchboardException(ErrorCodes.ValidationFailed, detail, errors);
    }
}
