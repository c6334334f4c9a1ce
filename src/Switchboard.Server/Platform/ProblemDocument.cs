using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Switchboard.Errors;

namespace Switchboard.Server.Platform;

/// <summary>
/// The problem document's schema: the RFC 9457 members, <c>code</c> and <c>traceId</c>, and every extension member
/// the catalogue names (<see cref="ErrorCode.Members"/>), each described with the codes that carry it. Nothing else
/// may appear, so a member a handler adds without declaring it breaks the contract.
/// </summary>
internal static class ProblemDocument
{
    /// <summary>The JSON shape of each extension member a catalogue code may name.</summary>
    private static readonly Dictionary<string, Func<OpenApiSchema>> MemberShapes = new(StringComparer.Ordinal)
    {
        ["errors"] = () => new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        },
        ["retryAfterSeconds"] = Integer,
        ["maxBytes"] = Integer,
        ["maxValueBytes"] = Integer,
        ["maxTextBytes"] = Integer,
        ["quotaBytes"] = Integer,
        ["usedBytes"] = Integer,
        ["uploadOffset"] = Integer,
        ["currentRevision"] = () => new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
        ["requiredScope"] = Text,
        ["requestedScopes"] = () => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() },
        ["lease"] = Text,
        ["channel"] = Text,
        ["fileId"] = Text,
        ["userId"] = Text,
        ["field"] = Text,
        ["expectedSha256"] = Text,
        ["actualSha256"] = Text,
        ["checks"] = () => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = Text() },
    };

    public static OpenApiSchema Schema()
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable error code from the catalogue; match on this." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The W3C trace id; the server logs carry it too." },
        };
        foreach (var member in ErrorCodes.All.SelectMany(c => c.Members).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!MemberShapes.TryGetValue(member, out var shape))
            {
                throw new InvalidOperationException($"The error catalogue names the problem member '{member}', which has no schema in {nameof(ProblemDocument)}.");
            }
            var schema = shape();
            schema.Description = "Sent with " + string.Join(", ", ErrorCodes.All.Where(c => c.Members.Contains(member)).Select(c => $"`{c.Code}`")) + ".";
            properties[member] = schema;
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem document. Match on `code`, never on the text.",
            Required = new HashSet<string> { "type", "title", "status", "code", "traceId" },
            Properties = properties,
            AdditionalPropertiesAllowed = false,
        };
    }

    /// <summary>The problem schema narrowed to the codes one response can carry.</summary>
    public static IOpenApiSchema WithCodes(OpenApiDocument document, IReadOnlyList<ErrorCode> codes) => new OpenApiSchema
    {
        AllOf =
        [
            new OpenApiSchemaReference(OpenApiDocumentation.ProblemSchema, document),
            new OpenApiSchema
            {
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["code"] = new OpenApiSchema { Enum = codes.Select(c => (JsonNode)JsonValue.Create(c.Code)!).ToList() },
                },
            },
        ],
    };

    private static OpenApiSchema Integer() => new() { Type = JsonSchemaType.Integer };

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };
}
