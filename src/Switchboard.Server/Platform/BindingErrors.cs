using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Errors;

namespace Switchboard.Server.Platform;

/// <summary>
/// Says, in client terms, what was wrong with a request that minimal-API binding refused: which JSON
/// field and why, which parameter could not be read. Never echoes CLR type names or stack details.
/// </summary>
internal static partial class BindingErrors
{
    public static SwitchboardException Describe(BadHttpRequestException bad, BodyContract? body = null)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new SwitchboardException(ErrorCodes.PayloadTooLarge, "The request body is larger than this endpoint accepts.");
        }
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            var got = UnexpectedContentType().Match(bad.Message);
            var detail = got.Success ? $"Send the body as application/json (got '{got.Groups["type"].Value}')." : "Send the body as application/json.";
            return new SwitchboardException(ErrorCodes.UnsupportedMediaType, detail);
        }
        if (FindInner<JsonException>(bad) is { } json)
        {
            return FromJson(json, body);
        }
        if (NoBody().IsMatch(bad.Message))
        {
            return new SwitchboardException(ErrorCodes.MalformedJson, "This operation needs a JSON body; the request had none (or it was null).",
                new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] });
        }
        if (RequiredParameter().Match(bad.Message) is { Success: true } required)
        {
            return SwitchboardException.Validation(required.Groups["name"].Value, $"'{required.Groups["name"].Value}' is required in the {required.Groups["source"].Value}.");
        }
        if (BindFailed().Match(bad.Message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            return SwitchboardException.Validation(name, $"'{failed.Groups["value"].Value}' is not a valid value for '{name}'.");
        }
        return new SwitchboardException(ErrorCodes.BadRequest, bad.Message);
    }

    public static SwitchboardException FromJson(JsonException json, BodyContract? body = null)
    {
        var field = FieldOf(json.Path);
        var message = json.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = QuotedName().Matches(missing.Groups["names"].Value).Select(m => Join(field, m.Groups[1].Value)).ToArray();
            var errors = names.ToDictionary(n => n, n => new[] { "The field is required." }, StringComparer.Ordinal);
            return new SwitchboardException(ErrorCodes.ValidationFailed, $"The body is missing required fields: {string.Join(", ", names)}.", errors);
        }
        if (NullNotAllowed().IsMatch(message))
        {
            return SwitchboardException.Validation(field, $"'{field}' must not be null.");
        }
        string reason;
        if (ConvertFailed().IsMatch(message))
        {
            var expected = body?.TypeAt(json.Path) is { } type ? "; expected " + Friendly(type) : "";
            reason = $"the value has the wrong type{expected}";
        }
        else
        {
            var text = Cut(message);
            var where = json.LineNumber is long line && json.BytePositionInLine is long position ? $" (line {line + 1}, byte {position + 1})" : "";
            reason = text.TrimEnd('.') + where;
        }
        var problem = new SwitchboardException(ErrorCodes.MalformedJson, $"The body is not valid JSON for this operation at '{field}': {reason}.",
            new Dictionary<string, string[]> { [field] = [char.ToUpperInvariant(reason[0]) + reason[1..] + "."] });
        return problem;
    }

    /// <summary><c>$.items[0].name</c> becomes <c>items[0].name</c>; the root is <c>body</c>.</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.StartsWith('$') ? path[1..] : path;
        return field.Length == 0 ? "body" : field;
    }

    private static string Join(string parent, string child) => parent == "body" ? child : parent + "." + child;

    private static string Cut(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = at < 0 ? message : message[..at];
        at = text.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return at < 0 ? text : text[..at];
    }

    private static string Friendly(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)));
        }
        return Type.GetTypeCode(type) switch
        {
            TypeCode.String or TypeCode.Char => "a string",
            TypeCode.Boolean => "true or false",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => "an integer",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.DateTime => "an ISO-8601 timestamp string",
            _ when type == typeof(DateTimeOffset) => "an ISO-8601 timestamp string",
            _ when type == typeof(Guid) => "a UUID string",
            _ when type == typeof(TimeSpan) => "a duration string (hh:mm:ss)",
            _ when type == typeof(byte[]) => "a base64 string",
            _ when type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
                && !typeof(System.Collections.IDictionary).IsAssignableFrom(type) => "an array",
            _ => "an object",
        };
    }

    private static T? FindInner<T>(Exception exception) where T : Exception
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }

    [GeneratedRegex("got \"(?<type>[^\"]*)\"")]
    private static partial Regex UnexpectedContentType();

    [GeneratedRegex("no body was provided|was not provided from body")]
    private static partial Regex NoBody();

    [GeneratedRegex("^Required parameter \"(?:\\S+ )?(?<name>[^\"]+)\" was not provided from (?<source>[^.]+)\\.")]
    private static partial Regex RequiredParameter();

    [GeneratedRegex("^Failed to bind parameter \"(?:\\S+ )?(?<name>[^\"]+)\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex BindFailed();

    [GeneratedRegex("missing required properties,? including:? (?<names>.*)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();

    [GeneratedRegex("doesn't allow (?:setting |getting )?null|does not allow null|cannot be null", RegexOptions.IgnoreCase)]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex("could not be converted to ")]
    private static partial Regex ConvertFailed();
}
