using Switchboard.Channels;

namespace Switchboard.Chat;

/// <summary>
/// Chat's side of the channel pipeline: the recipients of a conversation's delivery, the status pushed live to the
/// sender, and contacts' messages landing in their conversations. Channels owns these interfaces and never sees chat.
/// </summary>
internal sealed class ChatChannelHooks(IChatStore store, ChatService chat, IEnumerable<IChatEvents> events)
    : IConversationRecipients, IDeliveryStatusListener, IInboundMessageHandler
{
    public async Task<IReadOnlyList<string>> ListAsync(Guid conversationId, CancellationToken cancellationToken = default) =>
        [.. (await store.ListMembersAsync(conversationId, cancellationToken).ConfigureAwait(false)).Select(m => m.UserId)];

    public async Task StatusChangedAsync(Delivery delivery, CancellationToken cancellationToken = default)
    {
        if (delivery is not { ConversationId: { } conversation, MessageId: { } messageId, SenderId: { } sender })
        {
            return; // A notification's delivery: no chat message to report on.
        }
        var update = new MessageStatusUpdate(conversation, messageId, delivery.Channel, delivery.Status, delivery.ErrorCode, delivery.ErrorMessage,
            delivery.UpdatedAt);
        foreach (var each in events)
        {
            await each.MessageStatusAsync(sender, update, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> ReceiveAsync(InboundMessage message, IReadOnlyList<string> inbox, CancellationToken cancellationToken = default) =>
        !(await chat.ReceiveFromContactAsync(message, inbox, cancellationToken).ConfigureAwait(false)).Duplicate;
}
