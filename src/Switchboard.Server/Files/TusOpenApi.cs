using Microsoft.OpenApi;

namespace Switchboard.Server.Files;

/// <summary>The tus headers and raw bodies of the upload operations, which the generator cannot see in handlers that read them by hand.</summary>
internal static class TusOpenApi
{
    public static TBuilder DeclaresTus<TBuilder>(this TBuilder builder, bool body, params (string Name, bool Required, string Description)[] headers)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, required, description) in headers)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Header,
                    Required = required,
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
            if (body)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = false,
                    Content = new Dictionary<string, OpenApiMediaType> { [TusHeaders.OffsetContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
                };
            }
            return Task.CompletedTask;
        });

    public static (string, bool, string) Resumable => (TusHeaders.Resumable, false, $"The tus version, {TusHeaders.Version}.");
}
