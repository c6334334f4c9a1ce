using System.Reflection;
using System.Reflection.Emit;

namespace Switchboard.Testing;

/// <summary>
/// Every type a compiled type uses: its signatures (base type, interfaces, fields, properties, events, methods) and the
/// types, methods and fields its method bodies name in IL, including those of its nested types (lambdas, closures and
/// async state machines are nested types). What the dependency tests read instead of trusting <c>using</c> lines.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static
        | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types <paramref name="type"/> and its nested types refer to.</summary>
    public static IReadOnlySet<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        Collect(type, found);
        return found;
    }

    private static void Collect(Type type, HashSet<Type> found)
    {
        Add(type.BaseType, found);
        foreach (var each in type.GetInterfaces())
        {
            Add(each, found);
        }
        foreach (var attribute in type.GetCustomAttributesData())
        {
            Add(attribute.AttributeType, found);
        }
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType, found);
        }
        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType, found);
        }
        foreach (var evt in type.GetEvents(Declared))
        {
            Add(evt.EventHandlerType, found);
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType, found);
            }
            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType, found);
            }
            Body(type, method, found);
        }
        foreach (var nested in type.GetNestedTypes(Declared))
        {
            Collect(nested, found);
        }
    }

    private static void Body(Type type, MethodBase method, HashSet<Type> found)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return;
        }
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    switch (member)
                    {
                        case Type referenced:
                            Add(referenced, found);
                            break;
                        case FieldInfo field:
                            Add(field.DeclaringType, found);
                            Add(field.FieldType, found);
                            break;
                        case MethodBase called:
                            Add(called.DeclaringType, found);
                            if (called.IsGenericMethod)
                            {
                                foreach (var argument in called.GetGenericArguments())
                                {
                                    Add(argument, found);
                                }
                            }
                            break;
                    }
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }

    private static void Add(Type? type, HashSet<Type> found)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }
        if (type.HasElementType)
        {
            Add(type.GetElementType(), found);
            return;
        }
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(argument, found);
            }
            type = type.GetGenericTypeDefinition();
        }
        found.Add(type);
    }
}
