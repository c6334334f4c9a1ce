using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace Switchboard.Server.Platform;

/// <summary>The JSON body an endpoint accepts, to say which type a field at a JSON path should have.</summary>
internal sealed partial class BodyContract(Type bodyType, JsonSerializerOptions options)
{
    public static BodyContract? For(HttpContext context)
    {
        // The exception handler clears the endpoint before it runs, but keeps it on its feature.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (type is null)
        {
            return null;
        }
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
        return new BodyContract(type, options.SerializerOptions);
    }

    /// <summary>The declared type at <c>$.items[0].name</c>, or null when the path leaves the contract.</summary>
    public Type? TypeAt(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        Type? type = bodyType;
        foreach (Match segment in Segment().Matches(path))
        {
            if (type is null)
            {
                return null;
            }
            var info = options.GetTypeInfo(type);
            type = segment.Groups["index"].Success
                ? info.ElementType
                : info.Properties.FirstOrDefault(p => p.Name == (segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value))?.PropertyType;
        }
        return type;
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex Segment();
}
