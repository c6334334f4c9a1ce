using System.Diagnostics;
using System.Diagnostics.Metrics;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Observability;

/// <summary>
/// RED metrics per route and destination (requests, errors, duration), retries, and each destination's health and
/// load as gauges, on the <c>Switchboard.Gateway</c> meter that <c>/metrics</c> exports.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Switchboard.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;

    public GatewayMetrics(IMeterFactory meters, IProxyStateLookup proxy)
    {
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("switchboard.gateway.requests", "{request}", "Requests handled, by route, destination and status code.");
        _errors = _meter.CreateCounter<long>("switchboard.gateway.errors", "{request}", "Requests that ended in a 5xx, by route and destination.");
        _duration = _meter.CreateHistogram<double>("switchboard.gateway.request.duration", "s", "Time from request to the end of the response, by route and destination.");
        _retries = _meter.CreateCounter<long>("switchboard.gateway.retries", "{request}", "Requests tried again on another destination, by route.");
        _meter.CreateObservableGauge("switchboard.gateway.destination.healthy", () => Destinations(proxy, d => IsHealthy(d) ? 1 : 0),
            description: "1 when the destination takes traffic, 0 when active or passive checks took it out.");
        _meter.CreateObservableGauge("switchboard.gateway.destination.concurrent_requests", () => Destinations(proxy, d => d.ConcurrentRequestCount),
            "{request}", "Requests in flight to the destination.");
    }

    public static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

    public void Request(string route, string destination, int status, TimeSpan duration)
    {
        var tags = new TagList { { "route", route }, { "destination", destination } };
        _duration.Record(duration.TotalSeconds, tags);
        if (status >= 500)
        {
            _errors.Add(1, tags);
        }
        tags.Add("status", status);
        _requests.Add(1, tags);
    }

    public void Retried(string route) => _retries.Add(1, new KeyValuePair<string, object?>("route", route));

    private static IEnumerable<Measurement<int>> Destinations(IProxyStateLookup proxy, Func<DestinationState, int> value)
    {
        foreach (var cluster in proxy.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                yield return new Measurement<int>(value(destination),
                    new KeyValuePair<string, object?>("cluster", cluster.ClusterId), new KeyValuePair<string, object?>("destination", destination.DestinationId));
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}
