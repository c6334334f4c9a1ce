namespace Switchboard.Server.Files;

/// <summary>
/// Adds <c>Tus-Resumable</c> to every response under <c>/v1/files</c>, errors included: it is set when the
/// response starts, after the exception handler or the authentication challenge has written its own headers.
/// </summary>
internal sealed class TusResumableHeader : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments(FilesApi.Path))
            {
                context.Response.OnStarting(static state =>
                {
                    ((HttpContext)state).Response.Headers[TusHeaders.Resumable] = TusHeaders.Version;
                    return Task.CompletedTask;
                }, context);
            }
            return nextMiddleware(context);
        });
        next(app);
    };
}
