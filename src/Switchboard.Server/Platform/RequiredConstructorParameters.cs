using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace Switchboard.Server.Platform;

/// <summary>
/// A JSON contract modifier: a constructor parameter of a request record that is neither nullable nor has a
/// default value must be present in the body. So <c>record Send(string To, int Count, string? Note = null)</c>
/// refuses a body without <c>to</c> or <c>count</c> with a 400 naming them, while <c>note</c> stays optional
/// (<c>string? Note</c> without a default is optional too). Without this, a missing string would reach a
/// service as null and a missing number as 0.
/// </summary>
internal static class RequiredConstructorParameters
{
    public static void Apply(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        NullabilityInfoContext? nullability = null;
        foreach (var property in typeInfo.Properties)
        {
            if (property.IsRequired || property.AssociatedParameter is not { } parameter || parameter.HasDefaultValue)
            {
                continue;
            }
            if (parameter.AttributeProvider is not ParameterInfo info)
            {
                continue;
            }
            var type = parameter.ParameterType;
            bool nullable;
            if (type.IsValueType)
            {
                nullable = Nullable.GetUnderlyingType(type) is not null;
            }
            else
            {
                nullability ??= new NullabilityInfoContext();
                nullable = nullability.Create(info).WriteState != NullabilityState.NotNull;
            }
            if (!nullable)
            {
                property.IsRequired = true;
            }
        }
    }
}
