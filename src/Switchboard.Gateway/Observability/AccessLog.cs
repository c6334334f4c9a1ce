using System.Diagnostics;
using Switchboard.Gateway.Health;
using Yarp.ReverseProxy.Model;
using Switchboard.Operations;

namespace Switchboard.Gateway.Observability;

/// <summary>
/// One structured line per request (route, destination, status, duration, trace id) and its RED metrics. Wraps
/// everything so refusals at the edge (401, 413, 429) are logged and counted too, with destination <c>-</c>.
/// </summary>
internal sealed partial class AccessLog(RequestDelegate next, GatewayMetrics metrics, LatencyTracker latency, ILogger<AccessLog> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var proxy = context.Features.Get<IReverseProxyFeature>();
            var endpoint = context.GetEndpoint();
            var route = endpoint?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? (endpoint is null ? "none" : "gateway");
            var destination = proxy?.ProxiedDestination?.DestinationId ?? "-";
            var status = context.Response.StatusCode;
            metrics.Request(route, destination, status, elapsed);
            if (proxy?.ProxiedDestination is { } proxied && status < 500)
            {
                latency.Record(proxy.Cluster.Config.ClusterId, proxied.DestinationId, elapsed);
            }
            Log(logger, context.Request.Method, context.Request.Path.Value ?? "/", route, destination, status, elapsed.TotalMilliseconds,
                Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
        }
    }

    [LoggerMessage(EventId = EventIds.Cluster.GatewayAccess, Level = LogLevel.Information,
        Message = "{Method} {Path} route={Route} destination={Destination} status={Status} duration_ms={DurationMs:0.000} trace_id={TraceId}")]
    private static partial void Log(ILogger logger, string method, string path, string route, string destination, int status, double durationMs, string traceId);
}
