using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Server.Platform;
using Switchboard.Storage;

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
    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> ReadyAsync(
        HttpContext context, IStorageHealth storage, IEnumerable<IReadinessCheck> others, CancellationToken cancellationToken)
    {
        var check = "storage:" + storage.Engine;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.CheckAsync(timeout.Token);
            var checks = new Dictionary<string, string> { [check] = "ok" };
            foreach (var other in others)
            {
                check = other.Name;
                await other.CheckAsync(timeout.Token);
                checks[check] = "ok";
            }
            return TypedResults.Ok(new HealthReport("ready", checks));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? "no answer within 5 s" : ex.GetType().Name + ": " + ex.Message;
            var problem = Problems.Create(context, ErrorCodes.Unavailable, $"The check '{check}' failed: {reason}");
            problem.Extensions["checks"] = new Dictionary<string, string> { [check] = reason };
            return TypedResults.Problem(problem);
        }
    }
}
