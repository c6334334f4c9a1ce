using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Switchboard.Operations;

namespace Switchboard.Server.Platform;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and the Scalar docs at <c>/docs</c>. Transformers add what
/// the generator cannot infer: the two credential schemes, and on each operation its security requirement
/// and the problem responses it can produce.
/// </summary>
internal static class OpenApiDocumentation
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ProblemSchema = "Problem";

    public static IServiceCollection AddSwitchboardOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Switchboard";
                document.Info.Version = SwitchboardMetrics.Version;
                document.Info.Description = "Errors are RFC 9457 problem documents with a stable `code`; see docs/api.md.";
                AddComponents(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context);
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapSwitchboardOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(SecurityHeaders.DocsPath, options => options
                .WithTitle("Switchboard")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .AddPreferredSecuritySchemes(BearerScheme))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static void AddComponents(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /v1/auth/token: `Authorization: Bearer <token>`.",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyHeader,
            Description = "An API key for services: `X-Api-Key: <key>`.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem document. Match on `code`, never on the text.",
            Required = new HashSet<string> { "type", "title", "status", "code", "traceId" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable error code from the catalogue." },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The W3C trace id; the server logs carry it too." },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Field errors keyed by the field's JSON path.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var document = context.Document;
        if (document is null)
        {
            return;
        }
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();
        if (operation.RequestBody is not null)
        {
            AddProblem(operation, document, StatusCodes.Status400BadRequest, "The body is malformed or a field is invalid.");
            AddProblem(operation, document, StatusCodes.Status413PayloadTooLarge, "The body is larger than the endpoint accepts.");
            AddProblem(operation, document, StatusCodes.Status415UnsupportedMediaType, "The body is not application/json.");
        }
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
            AddProblem(operation, document, StatusCodes.Status401Unauthorized, "No valid access token or API key.");
            AddProblem(operation, document, StatusCodes.Status403Forbidden, "The credentials lack the scope this operation needs.");
        }
        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            AddProblem(operation, document, StatusCodes.Status429TooManyRequests, "Rate limited; retry after the Retry-After header.");
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Problems.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }
}
