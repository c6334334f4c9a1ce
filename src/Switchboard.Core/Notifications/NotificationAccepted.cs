using Switchboard.Channels;

namespace Switchboard.Notifications;

/// <summary>The answer to a send: the stored notification and its deliveries, or the earlier one that suppressed it.</summary>
public sealed record NotificationAccepted(Guid Id, bool Suppressed, Guid? DuplicateOf, IReadOnlyList<Delivery> Deliveries);
