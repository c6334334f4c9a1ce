namespace Switchboard.Channels;

/// <summary>
/// Hears that a delivery's status moved, after the change is committed; chat tells the sender of the message. A
/// listener that throws is logged and skipped: the status is already in the store, and a client reads it there.
/// </summary>
public interface IDeliveryStatusListener
{
    Task StatusChangedAsync(Delivery delivery, CancellationToken cancellationToken = default);
}
