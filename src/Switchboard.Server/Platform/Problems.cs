using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Errors;

namespace Switchboard.Server.Platform;

/// <summary>
/// Builds RFC 9457 problem documents from the error catalogue. Every error response of the server goes
/// through here so each carries a stable <c>code</c> and the request's <c>traceId</c>.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ProblemDetails Create(HttpContext context, ErrorCode error, string? detail = null)
    {
        var problem = new ProblemDetails
        {
            Type = error.Type,
            Title = error.Title,
            Status = error.Status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = error.Code;
        problem.Extensions["traceId"] = TraceId(context);
        return problem;
    }

    public static ProblemDetails From(HttpContext context, SwitchboardException exception)
    {
        var problem = Create(context, exception.Error, exception.Message);
        if (exception.Errors is not null)
        {
            problem.Extensions["errors"] = exception.Errors;
        }
        foreach (var (key, value) in exception.Extensions)
        {
            problem.Extensions[key] = value;
        }
        return problem;
    }

    /// <summary>A typed result for handlers: <c>return Problems.Result(context, ErrorCodes.NotFound, "…")</c>.</summary>
    public static ProblemHttpResult Result(HttpContext context, ErrorCode error, string? detail = null) =>
        TypedResults.Problem(Create(context, error, detail));

    public static ProblemHttpResult Result(HttpContext context, SwitchboardException exception) =>
        TypedResults.Problem(From(context, exception));

    public static string TraceId(HttpContext context) => Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
}
