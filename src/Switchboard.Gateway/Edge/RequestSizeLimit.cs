using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// A body larger than <c>Gateway:MaxRequestBodyBytes</c> is refused with a 413 problem before a node sees it when its
/// length is declared; a chunked one is cut off by Kestrel's limit at the same size while it streams.
/// </summary>
internal sealed class RequestSizeLimit(RequestDelegate next, IOptions<GatewayOptions> options)
{
    private readonly long _max = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _max)
        {
            return GatewayProblems.WriteAsync(context, ErrorCodes.PayloadTooLarge,
                $"The body is {context.Request.ContentLength} bytes; the gateway forwards at most {_max} (Gateway:MaxRequestBodyBytes).");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = _max;
        }
        return next(context);
    }
}
