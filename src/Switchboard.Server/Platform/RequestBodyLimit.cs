using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Switchboard.Errors;

namespace Switchboard.Server.Platform;

/// <summary>
/// Turns Kestrel's request body limit into a 413 problem. Kestrel enforces <c>Http:MaxRequestBodyBytes</c>
/// (routing has already applied an endpoint's own <see cref="IRequestSizeLimitMetadata"/>), but minimal-API
/// binding swallows its exception and Kestrel then answers with an empty 413; so a declared length over the
/// limit is refused up front, and a chunked body is watched while it is read.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is long max)
        {
            var length = context.Request.ContentLength;
            if (length > max)
            {
                throw TooLarge(max);
            }
            if (length is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                context.Request.Body = new LimitedRequestStream(context.Request.Body, max);
            }
        }
        return next(context);
    }

    internal static SwitchboardException TooLarge(long max)
    {
        var problem = new SwitchboardException(ErrorCodes.PayloadTooLarge, $"The request body is larger than the {max} bytes this endpoint accepts.");
        problem.Extensions["maxBytes"] = max;
        return problem;
    }
}

/// <summary>Endpoint metadata that lowers (or raises) the request body limit: <c>.WithMaxRequestBodySize(64 * 1024)</c>.</summary>
internal sealed class MaxRequestBodySizeMetadata(long? maxBytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxBytes;
}

internal static class RequestBodyLimitExtensions
{
    /// <summary>Sets this endpoint's request body limit in bytes; <c>null</c> removes the limit (streamed uploads).</summary>
    public static TBuilder WithMaxRequestBodySize<TBuilder>(this TBuilder builder, long? maxBytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new MaxRequestBodySizeMetadata(maxBytes));
}
