using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Operations;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Operations;

internal static partial class HealthApi
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

    /// <summary>
    /// 200 with every check, or a 503 <c>unavailable</c> problem that names the failing check only: the endpoint is
    /// anonymous, and an exception's message can carry host names, paths or SQL, so its detail goes to the log.
    /// </summary>
    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> ReadyAsync(
        HttpContext context, Readiness readiness, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var report = await readiness.CheckAsync(cancellationToken);
        if (report.Ready)
        {
            return TypedResults.Ok(new HealthReport("ready", report.Checks));
        }
        var check = report.FailedCheck!;
        var reason = report.Failure is OperationCanceledException ? report.Reason! : "failed; the server log has the detail";
        ReadinessCheckFailed(loggers.CreateLogger(typeof(HealthApi).FullName!), check, report.Failure!);
        var problem = Problems.Create(context, ErrorCodes.Unavailable, $"The check '{check}' failed: {reason}");
        problem.Extensions["checks"] = new Dictionary<string, string> { [check] = reason };
        return TypedResults.Problem(problem);
    }

    [LoggerMessage(EventId = EventIds.Platform.ReadinessCheckFailed, Level = LogLevel.Warning, Message = "The readiness check '{Check}' failed")]
    private static partial void ReadinessCheckFailed(ILogger logger, string check, Exception exception);
}
