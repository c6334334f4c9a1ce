using Microsoft.OpenApi;

namespace Switchboard.Server.Platform;

/// <summary>
/// Raw bodies (a file, a KV value) travel with their own content type, which the generator cannot see in a
/// <c>FileStreamHttpResult</c> or raw bytes: the document declares them as any media type, binary.
/// </summary>
internal static class RawResponses
{
    /// <param name="ranges">Whether Range requests are served: 206 with part of the body.</param>
    public static TBuilder ProducesRawBody<TBuilder>(this TBuilder builder, bool ranges)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["200"] = Raw("The body, with the content type it was stored with.");
            operation.Responses["304"] = new OpenApiResponse { Description = "Not modified: If-None-Match named the current ETag." };
            if (ranges)
            {
                operation.Responses["206"] = Raw("The requested byte range of the body.");
            }
            return Task.CompletedTask;
        });

    private static OpenApiResponse Raw(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["*/*"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
        },
    };
}
