namespace Switchboard.Channels;

/// <summary>A delivery after an update, and whether its status moved.</summary>
public sealed record DeliveryChange(Delivery Delivery, bool StatusChanged);
