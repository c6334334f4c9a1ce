using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Storage;

namespace Switchboard.Server.Operations;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Operations").AllowAnonymous().DisableRateLimiting();
        group.MapGet("/healthz", Alive).WithName("Alive").WithSummary("The process is up.");
        group.MapGet("/readyz", ReadyAsync).WithName("Ready").WithSummary("Storage is reachable for reads and writes.");
        return routes;
    }

    public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);

    private static Ok<HealthReport> Alive() => TypedResults.Ok(new HealthReport("alive", new Dictionary<string, string>()));

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> ReadyAsync(IStorageHealth storage, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.CheckAsync(timeout.Token);
            return TypedResults.Ok(new HealthReport("ready", new Dictionary<string, string> { ["storage:" + storage.Engine] = "ok" }));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Json(
                new HealthReport("unavailable", new Dictionary<string, string> { ["storage:" + storage.Engine] = ex.GetType().Name + ": " + ex.Message }),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
