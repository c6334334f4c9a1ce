using System.Diagnostics;

namespace Switchboard.Gateway.Observability;

/// <summary>
/// Makes ASP.NET Core start an activity for every request, continuing the caller's W3C <c>traceparent</c> when it
/// sent one, so the access log has a trace id and the forwarded request carries the same trace to the node.
/// Only propagation data is requested: nothing is recorded or exported here.
/// </summary>
internal sealed class TraceActivities : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
