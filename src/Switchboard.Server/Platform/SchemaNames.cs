using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace Switchboard.Server.Platform;

/// <summary>
/// Schema names in the OpenAPI document: the type's name, or, when two features have a contract of the same name
/// (chat's and the broker's <c>MessageListResponse</c>), the name prefixed with the feature. Two types that still
/// end up with one name fail document generation, because a client would read one as the other.
/// </summary>
internal sealed class SchemaNames
{
    private static readonly Lazy<ILookup<string, Type>> ContractsByName = new(() =>
        new[] { typeof(SchemaNames).Assembly, typeof(Switchboard.Errors.ErrorCode).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsPublic || t.IsNestedPublic || t.IsNestedAssembly || t.IsNotPublic)
            .Where(t => !t.IsGenericTypeDefinition && t.Name.IndexOf('<', StringComparison.Ordinal) < 0)
            .ToLookup(t => t.Name, StringComparer.Ordinal));

    private readonly ConcurrentDictionary<string, Type> _claimed = new(StringComparer.Ordinal);

    public string? Create(JsonTypeInfo info)
    {
        var name = OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        if (name is null)
        {
            return null;
        }
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (!type.IsGenericType && ContractsByName.Value[type.Name].Count() > 1)
        {
            name = Feature(type) + name;
        }
        var owner = _claimed.GetOrAdd(name, type);
        if (owner != type)
        {
            throw new InvalidOperationException(
                $"Two types map to the OpenAPI schema name '{name}': {owner.FullName} and {type.FullName}. Rename one, so a generated client cannot read one as the other.");
        }
        return name;
    }

    /// <summary>The feature a contract belongs to: the enclosing <c>XxxContracts</c> class, else its namespace's last part.</summary>
    private static string Feature(Type type)
    {
        if (type.DeclaringType is { } outer)
        {
            return outer.Name.EndsWith("Contracts", StringComparison.Ordinal) ? outer.Name[..^"Contracts".Length] : outer.Name;
        }
        var ns = type.Namespace ?? "";
        return ns[(ns.LastIndexOf('.') + 1)..];
    }
}
