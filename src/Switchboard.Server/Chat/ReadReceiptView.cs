using Switchboard.Chat;

namespace Switchboard.Server.Chat;

/// <summary>A member's watermarks after a change (<c>ReadReceipt</c>): everything up to <see cref="ReadSeq"/> is read.</summary>
public sealed class ReadReceiptView
{
    public Guid ConversationId { get; init; }

    public string UserId { get; init; } = "";

    public long ReadSeq { get; init; }

    public long DeliveredSeq { get; init; }

    public DateTimeOffset At { get; init; }

    internal static ReadReceiptView From(ReadReceipt receipt) => new()
    {
        ConversationId = receipt.ConversationId,
        UserId = receipt.UserId,
        ReadSeq = receipt.ReadSeq,
        DeliveredSeq = receipt.DeliveredSeq,
        At = receipt.At,
    };
}
