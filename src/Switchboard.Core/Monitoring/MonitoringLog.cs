using Microsoft.Extensions.Logging;
using Switchboard.Operations;

namespace Switchboard.Monitoring;

/// <summary>Log messages of monitoring and alerting (event ids 7101–7149).</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(EventId = EventIds.Monitoring.Leading, Level = LogLevel.Information, Message = "This node now schedules monitors and evaluates alert rules")]
    public static partial void Leading(ILogger logger);

    [LoggerMessage(EventId = EventIds.Monitoring.StoppedLeading, Level = LogLevel.Information, Message = "This node stopped leading monitoring")]
    public static partial void StoppedLeading(ILogger logger);

    [LoggerMessage(EventId = EventIds.Monitoring.LoopFailed, Level = LogLevel.Error, Message = "The monitoring loop {Loop} failed and restarts")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string loop);

    [LoggerMessage(EventId = EventIds.Monitoring.ProbeThrew, Level = LogLevel.Warning, Message = "Probe of monitor {MonitorId} threw")]
    public static partial void ProbeThrew(ILogger logger, Exception exception, string monitorId);

    [LoggerMessage(EventId = EventIds.Monitoring.Transition, Level = LogLevel.Information, Message = "Incident {IncidentId} {Transition}: {Reason}")]
    public static partial void Transition(ILogger logger, Guid incidentId, string transition, string reason);

    [LoggerMessage(EventId = EventIds.Monitoring.NoticeDeferred, Level = LogLevel.Warning, Message = "Notice {Key} could not be sent yet; it is retried")]
    public static partial void NoticeDeferred(ILogger logger, Exception exception, string key);
}
