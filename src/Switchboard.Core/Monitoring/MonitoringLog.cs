using Microsoft.Extensions.Logging;

namespace Switchboard.Monitoring;

/// <summary>Log messages of monitoring and alerting (event ids 7101–7149).</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "This node now schedules monitors and evaluates alert rules")]
    public static partial void Leading(ILogger logger);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "This node stopped leading monitoring")]
    public static partial void StoppedLeading(ILogger logger);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "The monitoring loop {Loop} failed and restarts")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string loop);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Probe of monitor {MonitorId} threw")]
    public static partial void ProbeThrew(ILogger logger, Exception exception, string monitorId);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Information, Message = "Incident {IncidentId} {Transition}: {Reason}")]
    public static partial void Transition(ILogger logger, Guid incidentId, string transition, string reason);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Warning, Message = "Notice {Key} could not be sent yet; it is retried")]
    public static partial void NoticeDeferred(ILogger logger, Exception exception, string key);
}
