namespace Switchboard.Monitoring;

/// <summary>Heartbeat checks: the monitored job has called <c>POST /v1/monitors/{id}/heartbeat</c> within the grace period.</summary>
public sealed class HeartbeatProbe(IMonitoringStore store, TimeProvider time) : IMonitorProbe
{
    public string Kind => MonitorKinds.Heartbeat;

    public static string MarkFor(string monitorId) => "heartbeat:" + monitorId;

    public async Task<ProbeOutcome> CheckAsync(MonitorSpec monitor, CancellationToken cancellationToken)
    {
        var last = await store.GetMarkAsync(MarkFor(monitor.Id), cancellationToken).ConfigureAwait(false);
        var since = last ?? monitor.CreatedAt;
        var silent = time.GetUtcNow() - since;
        return silent <= TimeSpan.FromSeconds(monitor.GraceSeconds)
            ? ProbeOutcome.Healthy()
            : ProbeOutcome.Failed(last is null
                ? $"No heartbeat since the monitor was created {silent.TotalSeconds:0} s ago (grace {monitor.GraceSeconds} s)."
                : $"No heartbeat for {silent.TotalSeconds:0} s, since {last:u} (grace {monitor.GraceSeconds} s).", errored: false);
    }
}
