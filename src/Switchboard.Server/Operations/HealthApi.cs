using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Server.Platform;
using Switchboard.Operations;

namespace Switchboard.Server.Operations;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Operations").AllowAnonymous().DisableRateLimiting();
        group.MapGet("/healthz", Alive).WithName("Alive").WithSummary("The process is up.");
        group.MapGet("/readyz", ReadyAsync).WithName("Ready").WithSummary("Storage is reachable for reads and writes, and the chat backplane when configured.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable, Problems.ContentType);
        return routes;
    }

    public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);

    private static Ok<HealthReport> Alive() => TypedResults.Ok(new HealthReport("alive", new Dictionary<string, string>()));

    /// <summary>200 with every check, or a 503 <c>unavailable</c> problem whose detail names the failing check.</summary>
    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> ReadyAsync(HttpContext context, Readiness readiness, CancellationToken cancellationToken)
    {
        var report = await readiness.CheckAsync(cancellationToken);
        if (report.Ready)
        {
            return TypedResults.Ok(new HealthReport("ready", report.Checks));
        }
        var problem = Problems.Create(context, ErrorCodes.Unavailable, $"The check '{report.FailedCheck}' failed: {report.Reason}");
        problem.Extensions["checks"] = new Dictionary<string, string> { [report.FailedCheck!] = report.Reason! };
        return TypedResults.Problem(problem);
    }
}
