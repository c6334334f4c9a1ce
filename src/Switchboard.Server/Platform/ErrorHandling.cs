using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Errors;
using Switchboard.Operations;

namespace Switchboard.Server.Platform;

/// <summary>
/// Turns every failure into a problem document: our own <see cref="SwitchboardException"/>, the
/// framework's bad-request exceptions (malformed JSON, wrong content type, oversized body) and bare
/// status codes (unknown route, wrong method), and transient database failures (503 with Retry-After). Anything
/// else is a 500 with only the trace id exposed.
/// </summary>
internal sealed partial class ErrorHandling(ILogger<ErrorHandling> logger, IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Classify(context, exception);
        if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        }
        if (context.Response.HasStarted)
        {
            return true;
        }
        context.Response.StatusCode = problem.Status ?? 500;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        }).ConfigureAwait(false);
    }

    internal static ProblemDetails Classify(HttpContext context, Exception exception) => exception switch
    {
        SwitchboardException known => Problems.From(context, known),
        BadHttpRequestException bad => Problems.From(context, BindingErrors.Describe(bad, BodyContract.For(context))),
        JsonException json => Problems.From(context, BindingErrors.FromJson(json, BodyContract.For(context))),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
            Problems.Create(context, ErrorCodes.BadRequest, "The client closed the request."),
        _ when Transient(exception) is { } storage => Problems.Create(context, ErrorCodes.Unavailable,
            $"The database is busy or unreachable ({storage.Message.Split('\n')[0]}); retry shortly. Operators: check the database's connection limit against every node's pool size."),
        _ => Problems.Create(context, ErrorCodes.InternalError),
    };

    /// <summary>
    /// A failure the database itself calls transient (too many connections, starting up, a dropped connection, a
    /// pool timeout): the request may succeed if retried, so it is a 503 with Retry-After, not a 500.
    /// </summary>
    private static DbException? Transient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } transient)
            {
                return transient;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = EventIds.Platform.Unhandled, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
