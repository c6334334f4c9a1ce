using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Channels;

/// <summary>The delivery dead-letter queue: look at what is there, and replay deliveries through their route again.</summary>
public sealed class DeliveryDeadLetters(BrokerService broker, IDeliveryStore store, DeliveryProcessor processor, TimeProvider time)
{
    private const int PeekLimit = 1000;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var messages = await PeekAsync(Math.Clamp(limit, 1, PeekLimit), cancellationToken).ConfigureAwait(false);
        return messages.Select(DeadLetter.From).OfType<DeadLetter>().ToArray();
    }

    /// <summary>
    /// Reopens each failed delivery (all, or those in <paramref name="ids"/>), publishes it to the first instance of its
    /// route and removes its dead letter. Returns the ids replayed.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ReplayAsync(IReadOnlyCollection<Guid>? ids, CancellationToken cancellationToken)
    {
        var wanted = ids?.ToHashSet();
        var replayed = new List<Guid>();
        var messages = await PeekAsync(PeekLimit, cancellationToken).ConfigureAwait(false);
        foreach (var message in messages.Where(m => m.State != BrokerMessage.InFlight))
        {
            if (DeadLetter.From(message) is not { } deadLetter || (wanted is not null && !wanted.Contains(deadLetter.DeliveryId)))
            {
                continue;
            }
            var now = time.GetUtcNow();
            if (await store.ReopenAsync(deadLetter.DeliveryId, now, cancellationToken).ConfigureAwait(false)
                && await store.GetDeliveryAsync(deadLetter.DeliveryId, cancellationToken).ConfigureAwait(false) is { } delivery)
            {
                await processor.EnqueueAsync(delivery, 0, $"{delivery.Id}:replay:{now.ToUnixTimeMilliseconds()}", cancellationToken).ConfigureAwait(false);
                replayed.Add(delivery.Id);
            }
            await broker.DeleteMessageAsync(BrokerService.System, DeliveryTicket.DeadLetterQueue, message.Id, cancellationToken).ConfigureAwait(false);
        }
        return replayed;
    }

    /// <summary>
    /// The dead-letter queue is created when a delivery worker first starts; until then it is empty, not missing,
    /// so nothing dead-lettered is an empty list and a replay of nothing.
    /// </summary>
    private async Task<IReadOnlyList<BrokerMessage>> PeekAsync(int limit, CancellationToken cancellationToken)
    {
        try
        {
            return await broker.PeekAsync(BrokerService.System, DeliveryTicket.DeadLetterQueue, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (SwitchboardException e) when (e.Error == ErrorCodes.QueueNotFound)
        {
            return [];
        }
    }
}
