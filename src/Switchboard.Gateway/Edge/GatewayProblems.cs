using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Errors;

namespace Switchboard.Gateway.Edge;

/// <summary>RFC 9457 problems from the error catalogue for what the gateway itself refuses, shaped like a node's.</summary>
internal static class GatewayProblems
{
    public const string ContentType = "application/problem+json";

    public static ProblemDetails Create(HttpContext context, ErrorCode error, string detail)
    {
        var problem = new ProblemDetails { Type = error.Type, Title = error.Title, Status = error.Status, Detail = detail, Instance = context.Request.Path };
        problem.Extensions["code"] = error.Code;
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        return problem;
    }

    public static Task WriteAsync(HttpContext context, ErrorCode error, string detail, Action<ProblemDetails>? extend = null)
    {
        var problem = Create(context, error, detail);
        extend?.Invoke(problem);
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }
}
