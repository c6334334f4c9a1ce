using Switchboard.Errors;

namespace Switchboard.Broker;

/// <summary>Queue and topic names: 1–128 of <c>[A-Za-z0-9._-]</c>; <c>$sys.</c> is reserved for the server itself.</summary>
public static class BrokerNames
{
    public const int MaxLength = 128;
    public const string SystemPrefix = "$sys.";

    public static bool IsValid(string? name, bool allowSystem = false)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        var rest = name;
        if (name.StartsWith(SystemPrefix, StringComparison.Ordinal))
        {
            if (!allowSystem)
            {
                return false;
            }
            rest = name[SystemPrefix.Length..];
        }
        return name.Length <= MaxLength && rest.Length > 0 && rest.All(IsNameChar);
    }

    public static bool IsSystem(string name) => name.StartsWith(SystemPrefix, StringComparison.Ordinal);

    /// <summary>Throws <see cref="ErrorCodes.InvalidName"/> saying what is wrong with <paramref name="name"/>.</summary>
    public static void Validate(string? name, string what, bool allowSystem = false)
    {
        if (IsValid(name, allowSystem))
        {
            return;
        }
        var detail = !allowSystem && name is not null && IsSystem(name)
            ? $"The {what} name '{name}' uses the reserved prefix '{SystemPrefix}'; choose another name."
            : $"The {what} name '{name}' is not valid: use 1–{MaxLength} characters of A–Z, a–z, 0–9, '.', '_' and '-'.";
        throw new SwitchboardException(ErrorCodes.InvalidName, detail);
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
