namespace Switchboard.Monitoring;

/// <summary>Checks monitors of one kind. A probe never throws for a failed check: it answers a down outcome with the error.</summary>
public interface IMonitorProbe
{
    string Kind { get; }

    /// <summary>One check, cancelled by <paramref name="cancellationToken"/> when the monitor's timeout passes.</summary>
    Task<ProbeOutcome> CheckAsync(MonitorSpec monitor, CancellationToken cancellationToken);
}
