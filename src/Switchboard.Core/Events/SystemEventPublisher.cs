using Microsoft.Extensions.Logging;
using Switchboard.Broker;
using Switchboard.Operations;

namespace Switchboard.Events;

/// <summary>
/// Publishes an event about something already done (a login, an account created) to <c>$sys.events</c> on its own.
/// Changes that are themselves durable state commit their events through the outbox instead; this is for the rest.
/// A failed publish is logged and never fails the action it reports.
/// </summary>
public sealed partial class SystemEventPublisher(IBrokerStore store, TimeProvider time, ILogger<SystemEventPublisher> logger)
{
    public async Task PublishAsync<T>(string name, T data, CancellationToken cancellationToken = default)
    {
        var entry = SystemEvents.Create(name, data, time.GetUtcNow());
        try
        {
            await store.PublishToTopicAsync(entry.Target, entry.Subject!, [entry.Message], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(logger, ex, name);
        }
    }

    [LoggerMessage(EventId = EventIds.Events.PublishFailed, Level = LogLevel.Warning, Message = "The system event {Event} could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string @event);
}
