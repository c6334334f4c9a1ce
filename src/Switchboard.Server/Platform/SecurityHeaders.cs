using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Server.Platform;

/// <summary>
/// Adds the security headers and <c>X-Trace-Id</c> to every response, including error responses written
/// after the exception handler has cleared the headers: they are set when the response starts.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public const string TraceIdHeader = "X-Trace-Id";

    /// <summary>The API serves only JSON: nothing may load, run or frame it.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>The interactive docs page: Scalar runs from its own bundled script, inline bootstrapping and styles.</summary>
    public const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'none'";

    public const string DocsPath = "/docs";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state => Apply((HttpContext)state), context);
        return next(context);
    }

    private static Task Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // A page that declares its own policy keeps it; everything else is JSON and gets the strictest.
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(DocsPath) ? DocsPolicy : ApiPolicy;
        }
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
        headers[TraceIdHeader] = activity?.TraceId.ToString() ?? context.TraceIdentifier;
        return Task.CompletedTask;
    }
}
