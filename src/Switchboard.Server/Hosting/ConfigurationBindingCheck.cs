using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Switchboard.Storage;

namespace Switchboard.Server.Hosting;

/// <summary>
/// Checks that every value under every options section converts to the type of the property it binds to, before any
/// feature binds one. The binder throws on the first value it cannot convert, from wherever it happens to be bound
/// first (a registration, an endpoint, a hub option), so a wrong type would otherwise surface as a crash that names
/// one key; this names every such key with the type it needs, and lets start-up validation report the rest.
/// </summary>
internal static class ConfigurationBindingCheck
{
    /// <summary>
    /// The options classes: every class named <c>…Options</c> in Core and Server that declares its configuration
    /// <c>Section</c>, so a new options class is checked without being listed here.
    /// </summary>
    public static IReadOnlyList<(Type Type, string Section)> OptionsSections { get; } =
        new[] { typeof(StorageOptions).Assembly, typeof(ConfigurationBindingCheck).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Options", StringComparison.Ordinal)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .Select(x => (x.Type, (string)x.Field!.GetRawConstantValue()!))
            .OrderBy(x => x.Item2, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Every key whose value does not convert, as <c>(key, message)</c>; the message starts with the key.</summary>
    public static IReadOnlyList<(string Key, string Message)> Check(IConfiguration configuration)
    {
        var failures = new List<(string, string)>();
        foreach (var (type, section) in OptionsSections)
        {
            CheckObject(type, configuration.GetSection(section), failures);
        }
        return failures.DistinctBy(f => f.Item1, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    private static void CheckObject(Type type, IConfigurationSection section, List<(string, string)> failures)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            // The binder ignores keys without a settable or bindable property, so this does too.
            if (property is not null && property.GetIndexParameters().Length == 0)
            {
                CheckValue(property.PropertyType, child, failures);
            }
        }
    }

    private static void CheckValue(Type type, IConfigurationSection section, List<(string, string)> failures)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string) || target == typeof(object))
        {
            return;
        }
        if (IsScalar(target))
        {
            if (section.Value is { Length: > 0 } value && !Converts(target, value))
            {
                failures.Add((section.Path, $"{section.Path}: '{value}' is not {Describe(target)}."));
            }
            return;
        }
        if (DictionaryValueType(target) is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                CheckValue(valueType, child, failures);
            }
            return;
        }
        if (ElementType(target) is { } elementType)
        {
            foreach (var child in section.GetChildren())
            {
                CheckValue(elementType, child, failures);
            }
            return;
        }
        CheckObject(target, section, failures);
    }

    // The binder's own rule: a type whose converter reads a string is bound from the value, anything else from children.
    private static bool IsScalar(Type type) => TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static bool Converts(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (!typeof(IEnumerable).IsAssignableFrom(type) && !(type.IsInterface && type.IsGenericType))
        {
            return null;
        }
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => $"a whole number ({type.Name})",
        _ when type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte) => $"a whole number of 0 or more ({type.Name})",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => $"a number such as 0.5 ({type.Name})",
        _ when type == typeof(TimeSpan) => "a duration such as 00:00:30 (hh:mm:ss, or d.hh:mm:ss)",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time such as 2026-01-31T12:00:00Z",
        _ when type == typeof(Guid) => "a GUID",
        _ when type == typeof(Uri) => "a URI",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ => $"a value of type {type.Name}",
    };
}
