using Switchboard.Channels;

namespace Switchboard.Notifications;

/// <summary>A notification with each delivery, every attempt, and, when nothing was sent, why not.</summary>
public sealed record NotificationDetails(NotificationRecord Notification, IReadOnlyList<Delivery> Deliveries, IReadOnlyList<DeliveryAttempt> Attempts,
    string? NotSentReason);
