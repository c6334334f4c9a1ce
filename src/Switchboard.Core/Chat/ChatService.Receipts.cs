using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Chat;

public sealed partial class ChatService
{
    /// <summary>Everything up to <paramref name="seq"/> is read (and so delivered). Watermarks never go back.</summary>
    public Task<ReadReceipt> MarkReadAsync(Caller caller, Guid conversationId, long seq, CancellationToken cancellationToken = default) =>
        MoveAsync(caller, conversationId, seq, read: true, cancellationToken);

    /// <summary>Everything up to <paramref name="seq"/> reached one of the caller's devices.</summary>
    public Task<ReadReceipt> MarkDeliveredAsync(Caller caller, Guid conversationId, long seq, CancellationToken cancellationToken = default) =>
        MoveAsync(caller, conversationId, seq, read: false, cancellationToken);

    /// <summary>
    /// What a client that knew the conversation up to (<paramref name="afterSeq"/>, <paramref name="afterChangeSeq"/>)
    /// missed: new messages, edits, deletes, reactions and receipts. See <see cref="SyncResult"/>.
    /// </summary>
    public async Task<SyncResult> SyncAsync(Caller caller, Guid conversationId, long afterSeq, long afterChangeSeq, int? limit, CancellationToken cancellationToken = default)
    {
        var size = limit is null ? MaxPageSize : PageSize(limit);
        new Validation()
            .Require(afterSeq >= 0, "afterSeq", "afterSeq is the last seq the client has, 0 for none.")
            .Require(afterChangeSeq >= 0, "afterChangeSeq", "afterChangeSeq is the last changeSeq the client has, 0 for none.")
            .ThrowIfInvalid();
        await ReadableAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        return await store.SyncAsync(conversationId, afterSeq, afterChangeSeq, size, cancellationToken).ConfigureAwait(false)
            ?? throw ConversationNotFound(conversationId);
    }

    private async Task<ReadReceipt> MoveAsync(Caller caller, Guid conversationId, long seq, bool read, CancellationToken cancellationToken)
    {
        if (seq < 0)
        {
            throw SwitchboardException.Validation("seq", "seq is the seq of a message, 0 or more.");
        }
        var member = await RequireMemberAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        var result = await store.MoveWatermarksAsync(conversationId, member.UserId, read ? seq : null, seq, Now(), cancellationToken).ConfigureAwait(false)
            ?? throw ConversationNotFound(conversationId);
        if (result.Changed)
        {
            var audience = await AudienceAsync(conversationId, cancellationToken).ConfigureAwait(false);
            if (audience is not null)
            {
                await LiveAsync("ReadReceipt", e => e.ReadReceiptAsync(audience, result.Receipt, CancellationToken.None)).ConfigureAwait(false);
            }
        }
        return result.Receipt;
    }
}
