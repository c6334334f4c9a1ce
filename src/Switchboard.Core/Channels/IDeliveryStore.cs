namespace Switchboard.Channels;

/// <summary>
/// Durable delivery state, one implementation per engine. Every status change goes through SQL that only moves a
/// delivery forward (<see cref="DeliveryStatus.CanMove"/>), so repeated or out-of-order updates are harmless.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Stores the notification and its deliveries in one commit, unless <paramref name="dedupKey"/> was used by another
    /// notification whose cooldown lasts past <paramref name="now"/>: then nothing is stored and that notification's
    /// id is returned.
    /// </summary>
    Task<Guid?> CreateNotificationAsync(NotificationRecord notification, IReadOnlyList<Delivery> deliveries, string? dedupKey,
        DateTimeOffset cooldownUntil, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Stores deliveries that do not exist yet (by id); returns how many were new.</summary>
    Task<int> CreateDeliveriesAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default);

    Task<NotificationRecord?> GetNotificationAsync(Guid id, CancellationToken cancellationToken = default);

    Task<Delivery?> GetDeliveryAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(Guid notificationId, CancellationToken cancellationToken = default);

    /// <summary>Attempts of these deliveries, oldest first.</summary>
    Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(IReadOnlyCollection<Guid> deliveryIds, CancellationToken cancellationToken = default);

    /// <summary>Appends the attempts and applies the rest of <paramref name="update"/>; null when the delivery does not exist.</summary>
    Task<DeliveryChange?> UpdateAsync(DeliveryUpdate update, CancellationToken cancellationToken = default);

    /// <summary>A provider's status report, matched by the provider's id on that instance; null when no delivery has it.</summary>
    Task<DeliveryChange?> UpdateByProviderIdAsync(string channel, string providerId, string status, string? errorCode, string? errorMessage,
        DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Moves these deliveries from <paramref name="from"/> to <paramref name="to"/> (accepted → queued after enqueueing).</summary>
    Task MarkAsync(IReadOnlyCollection<Guid> ids, string from, string to, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A failed delivery back to <c>queued</c> at the first hop of its route, for a replay; false unless it was failed.</summary>
    Task<bool> ReopenAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Deliveries still <paramref name="status"/> that were last updated before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<Delivery>> ListStaleAsync(string status, DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>The newest attempts since <paramref name="since"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AttemptSample>> ListAttemptSamplesAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);
}
