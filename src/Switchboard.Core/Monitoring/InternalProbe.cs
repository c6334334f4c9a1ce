using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Monitoring;

/// <summary>Internal checks: a broker queue's depth, dead-letter depth or oldest message age stays at or under <see cref="MonitorSpec.Max"/>.</summary>
public sealed class InternalProbe(BrokerService broker) : IMonitorProbe
{
    public string Kind => MonitorKinds.Internal;

    public async Task<ProbeOutcome> CheckAsync(MonitorSpec monitor, CancellationToken cancellationToken)
    {
        QueueStats stats;
        try
        {
            stats = await broker.GetStatsAsync(BrokerService.System, monitor.Queue!, cancellationToken).ConfigureAwait(false);
        }
        catch (SwitchboardException ex)
        {
            return ProbeOutcome.Failed($"Queue '{monitor.Queue}': {ex.Message}");
        }
        var value = monitor.Metric switch
        {
            InternalMetrics.DeadLetterDepth => stats.DeadLetterDepth,
            InternalMetrics.OldestAgeSeconds => stats.OldestAgeSeconds ?? 0,
            _ => stats.Depth,
        };
        return value > monitor.Max
            ? ProbeOutcome.Failed($"{monitor.Metric} of '{monitor.Queue}' is {value:0.##}, above {monitor.Max:0.##}.", errored: false)
            : ProbeOutcome.Healthy();
    }
}
