using Microsoft.Extensions.Logging;
using Switchboard.Operations;

namespace Switchboard.Channels;

/// <summary>Log messages of channel delivery (event ids 6401–6449). Never logs credentials or message text.</summary>
public static partial class ChannelLog
{
    [LoggerMessage(EventId = EventIds.Channels.WorkersStarted, Level = LogLevel.Information, Message = "Channel workers started for {Instances}")]
    public static partial void WorkersStarted(ILogger logger, string instances);

    [LoggerMessage(EventId = EventIds.Channels.AttemptFailed, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} through {Channel} failed: {ErrorCode}")]
    public static partial void AttemptFailed(ILogger logger, Guid deliveryId, string channel, string errorCode);

    [LoggerMessage(EventId = EventIds.Channels.DeadLettered, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} exhausted its route and went to the dead-letter queue")]
    public static partial void DeadLettered(ILogger logger, Guid deliveryId);

    [LoggerMessage(EventId = EventIds.Channels.JobFailed, Level = LogLevel.Error, Message = "Delivery job {MessageId} on {Queue} could not be processed; it is released for another try")]
    public static partial void JobFailed(ILogger logger, Exception exception, Guid messageId, string queue);

    [LoggerMessage(EventId = EventIds.Channels.WorkerFaulted, Level = LogLevel.Error, Message = "The channel worker for {Channel} stopped receiving and restarts")]
    public static partial void WorkerFaulted(ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = EventIds.Channels.LiveStatusFailed, Level = LogLevel.Warning, Message = "Live status of delivery {DeliveryId} could not be pushed")]
    public static partial void LiveStatusFailed(ILogger logger, Exception exception, Guid deliveryId);

    [LoggerMessage(EventId = EventIds.Channels.Requeued, Level = LogLevel.Information, Message = "Re-enqueued {Count} deliveries left accepted by an interrupted request")]
    public static partial void Requeued(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.Channels.WebhookRefused, Level = LogLevel.Warning, Message = "Webhook for {Channel} refused: {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string channel, string reason);
}
