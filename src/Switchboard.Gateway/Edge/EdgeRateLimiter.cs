using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Token buckets at the edge: one per signed-in user (a token validated by <see cref="EdgeAuthentication"/>), one
/// per client IP for everyone else, and one per upstream route that sets <c>RateLimitPerSecond</c>. A refusal is a
/// 429 <c>rate_limited</c> problem with <c>Retry-After</c>. Limits are per gateway process.
/// </summary>
internal sealed class EdgeRateLimiter : IAsyncDisposable
{
    private readonly RequestDelegate _next;
    private readonly PartitionedRateLimiter<HttpContext>? _limiter;

    public EdgeRateLimiter(RequestDelegate next, IOptions<GatewayOptions> options)
    {
        _next = next;
        var limits = options.Value.RateLimits;
        if (!limits.Enabled)
        {
            return;
        }
        var clients = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var user = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue("sub") : null;
            return user is not null
                ? Bucket("user:" + user, limits.PerUserPerSecond, limits.PerUserBurst)
                : Bucket("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.PerIpPerSecond, limits.PerIpBurst);
        });
        var routes = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config;
            return route?.Metadata?.GetValueOrDefault(GatewayRoutes.RouteRateKey) is { } value && int.TryParse(value, CultureInfo.InvariantCulture, out var rate)
                ? Bucket("route:" + route.RouteId, rate, rate)
                : RateLimitPartition.GetNoLimiter("none");
        });
        _limiter = PartitionedRateLimiter.CreateChained(clients, routes);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_limiter is null)
        {
            await _next(context);
            return;
        }
        using var lease = _limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            await _next(context);
            return;
        }
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await GatewayProblems.WriteAsync(context, ErrorCodes.RateLimited, $"Too many requests from this client; retry after {seconds} s.",
            problem => problem.Extensions["retryAfterSeconds"] = seconds);
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    public ValueTask DisposeAsync() => _limiter?.DisposeAsync() ?? ValueTask.CompletedTask;
}
