namespace Switchboard.Channels;

/// <summary>
/// Where a delivery stands: <c>accepted → queued → sent → delivered → read</c>, or <c>failed</c>. A status only moves
/// forward; <c>failed</c> ends a delivery that was not yet delivered, and only a replay reopens it.
/// </summary>
public static class DeliveryStatus
{
    public const string Accepted = "accepted";
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";

    public static bool IsKnown(string status) => Rank(status) >= 0;

    /// <summary>Order of the forward states; <c>failed</c> ranks above them all.</summary>
    public static int Rank(string status) => status switch
    {
        Accepted => 0,
        Queued => 1,
        Sent => 2,
        Delivered => 3,
        Read => 4,
        Failed => 9,
        _ => -1,
    };

    /// <summary>The rule every engine enforces in SQL; here for the fakes and the docs.</summary>
    public static bool CanMove(string from, string to) =>
        to == Failed ? Rank(from) <= Rank(Sent) : from != Failed && Rank(to) > Rank(from);
}
