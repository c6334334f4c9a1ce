using Switchboard.Errors;

namespace Switchboard.Server.Platform;

/// <summary>
/// Completes problems the framework produced from a bare status code (unknown route, wrong method, wrong
/// content type, a challenge or forbid from authentication): the catalogue code and title, and a detail
/// that says what to do.
/// </summary>
internal static class FrameworkProblems
{
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        if (!problem.Extensions.ContainsKey("code"))
        {
            var error = ErrorCodes.ForStatus(problem.Status ?? http.Response.StatusCode);
            problem.Extensions["code"] = error.Code;
            problem.Title = error.Title;
            problem.Type = $"https://switchboard.dev/problems/{error.Code}";
            problem.Instance ??= http.Request.Path;
            problem.Detail ??= Detail(http, error.Status);
        }
        problem.Extensions["traceId"] = Problems.TraceId(http);
    }

    private static string? Detail(HttpContext http, int status) => status switch
    {
        StatusCodes.Status404NotFound => $"No operation matches {http.Request.Method} {http.Request.Path}; the API reference is at /docs.",
        StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow is { Count: > 0 } allow
            ? $"{http.Request.Method} is not allowed on {http.Request.Path}; use {string.Join(", ", allow.ToArray())}."
            : $"{http.Request.Method} is not allowed on {http.Request.Path}.",
        StatusCodes.Status415UnsupportedMediaType => string.IsNullOrEmpty(http.Request.ContentType)
            ? "Send the body as application/json."
            : $"Send the body as application/json (got '{http.Request.ContentType}').",
        StatusCodes.Status401Unauthorized => "Send an access token (Authorization: Bearer …) or an API key (X-Api-Key).",
        StatusCodes.Status403Forbidden => "The credentials are valid but may not perform this operation.",
        _ => null,
    };
}
