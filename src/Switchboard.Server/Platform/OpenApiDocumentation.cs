using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Switchboard.Errors;
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

    public static IServiceCollection AddSwitchboardOpenApi(this IServiceCollection services)
    {
        var names = new SchemaNames();
        return services.AddOpenApi(DocumentName, options =>
        {
            options.CreateSchemaReferenceId = names.Create;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Switchboard";
                document.Info.Version = SwitchboardMetrics.Version;
                document.Info.Description = "Errors are RFC 9457 problem documents with a stable `code`; see docs/api.md.";
                AddComponents(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                await DeclareAlternativeBodiesAsync(operation, context, names, cancellationToken);
                Describe(operation, context);
            });
        });
    }

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
        document.Components.Schemas[ProblemSchema] = ProblemDocument.Schema();
    }

    /// <summary>
    /// Every status an operation can answer, with the catalogue codes each can carry: the generic ones that follow
    /// from what the operation is (it takes a body, has parameters, needs credentials, is rate limited, reads the
    /// database) and the feature's own from <see cref="ErrorResponses"/> metadata on the endpoint or its group.
    /// </summary>
    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var document = context.Document;
        if (document is null)
        {
            return;
        }
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var codes = new List<ErrorCode>();
        if (operation.RequestBody is not null)
        {
            codes.AddRange([ErrorCodes.MalformedJson, ErrorCodes.ValidationFailed, ErrorCodes.BadRequest, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType]);
        }
        if (operation.Parameters is { Count: > 0 })
        {
            codes.AddRange([ErrorCodes.BadRequest, ErrorCodes.ValidationFailed]);
        }
        if (context.Description.RelativePath?.Contains(':', StringComparison.Ordinal) == true
            || context.Description.ActionDescriptor.AttributeRouteInfo?.Template?.Contains(':', StringComparison.Ordinal) == true)
        {
            // A path segment that breaks its route constraint ({id:guid} given "abc") matches no endpoint at all.
            codes.Add(ErrorCodes.RouteNotFound);
        }
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (secured)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
            codes.AddRange([ErrorCodes.Unauthorized, ErrorCodes.InvalidToken, ErrorCodes.InvalidApiKey, ErrorCodes.Forbidden, ErrorCodes.InsufficientScope]);
        }
        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            codes.Add(ErrorCodes.RateLimited);
            // Everything behind the rate limiter may reach the database, which can be briefly unreachable.
            codes.Add(ErrorCodes.Unavailable);
        }
        codes.AddRange(metadata.OfType<ErrorResponses>().SelectMany(e => e.Codes));

        operation.Responses ??= new OpenApiResponses();
        foreach (var status in codes.Distinct().GroupBy(c => c.Status).OrderBy(g => g.Key))
        {
            var key = status.Key.ToString(CultureInfo.InvariantCulture);
            var sorted = status.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();
            operation.Responses[key] = new OpenApiResponse
            {
                Description = string.Join(" ", sorted.Select(c => $"`{c.Code}`: {c.Title}")),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Problems.ContentType] = new OpenApiMediaType { Schema = ProblemDocument.WithCodes(document, sorted) },
                },
            };
        }
    }

    /// <summary>
    /// An endpoint returning <c>Results&lt;Ok&lt;A&gt;, Ok&lt;B&gt;&gt;</c> answers 200 with either body; the generator keeps only one,
    /// so the document would describe half the answers. Such a status gets <c>anyOf</c> both schemas: the bodies carry
    /// no discriminator, and generated clients (Kiota) read <c>anyOf</c> by filling each alternative from the one body.
    /// </summary>
    private static async Task DeclareAlternativeBodiesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, SchemaNames names,
        CancellationToken cancellationToken)
    {
        var document = context.Document;
        if (document is null || operation.Responses is null)
        {
            return;
        }
        var alternatives = context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.Type is not null && m.Type != typeof(void) && m.StatusCode < 300)
            .GroupBy(m => m.StatusCode)
            .Where(g => g.Select(m => m.Type).Distinct().Count() > 1);
        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        foreach (var group in alternatives)
        {
            if (!operation.Responses.TryGetValue(group.Key.ToString(CultureInfo.InvariantCulture), out var response) || response.Content is null
                || !response.Content.TryGetValue("application/json", out var media))
            {
                continue;
            }
            var bodies = new List<IOpenApiSchema>();
            foreach (var type in group.Select(m => m.Type!).Distinct())
            {
                var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
                var id = names.Create(json.GetTypeInfo(type)) ?? type.Name;
                document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas.TryAdd(id, schema);
                bodies.Add(new OpenApiSchemaReference(id, document));
            }
            media.Schema = new OpenApiSchema { AnyOf = bodies };
        }
    }
}
