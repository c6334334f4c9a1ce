using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.Channels;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Operations;

namespace Switchboard.Chat;

public sealed partial class ChatService
{
    /// <summary>
    /// Lands a contact's message from a channel webhook in the contact's conversation, created with the first message
    /// (one per contact and channel instance, also under concurrent webhooks) with the users named by
    /// <paramref name="inbox"/> as members. The message and <c>message.received</c> commit together; the provider's
    /// message id makes a redelivered webhook a duplicate, stored once. Then it is pushed live to the members.
    /// </summary>
    /// <param name="inbox">User names of the instance's inbox (<c>Channels:Instances:&lt;name&gt;:Inbox</c>); unknown
    /// or disabled ones are skipped, and server admins can add members later.</param>
    public async Task<SendResult> ReceiveFromContactAsync(InboundMessage inbound, IReadOnlyList<string> inbox, CancellationToken cancellationToken = default)
    {
        var contact = inbound.Contact;
        var key = ChatNames.ContactKey(contact);
        var conversation = await store.FindPrivateAsync(key, cancellationToken).ConfigureAwait(false)
            ?? await CreateContactConversationAsync(inbound, inbox, key, cancellationToken).ConfigureAwait(false);

        var now = Now();
        var message = new NewMessage(Guid.CreateVersion7(), conversation.Id, contact.SenderId, inbound.ProviderMessageId,
            Truncate(inbound.Text, Options.MaxTextBytes), [], null, [], now);
        var result = await WithTargetsAsync([], () => store.AppendMessageAsync(message, m => [SystemEvents.Create(SystemEvents.MessageReceived,
            new MessageReceivedEvent(m.ConversationId, m.Id, m.Seq, contact.Channel, contact.Address, inbound.ContactName, inbound.ProviderMessageId,
                m.Text, inbound.At, m.CreatedAt), now)], cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw ConversationNotFound(conversation.Id);
        if (!result.Duplicate)
        {
            LogReceived(logger, result.Message.Id, conversation.Id, contact.Channel);
        }
        await AnnounceAsync(conversation, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The contact's conversation, found by its contact, or null when they have not written yet.</summary>
    public Task<Conversation?> FindContactConversationAsync(ChannelContact contact, CancellationToken cancellationToken = default) =>
        store.FindPrivateAsync(ChatNames.ContactKey(contact), cancellationToken);

    private async Task<Conversation> CreateContactConversationAsync(InboundMessage inbound, IReadOnlyList<string> inbox, string key,
        CancellationToken cancellationToken)
    {
        var memberIds = new List<string>();
        foreach (var userName in inbox.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var user = await identity.FindUserByNameAsync(userName, cancellationToken).ConfigureAwait(false);
            if (user is null || user.Disabled)
            {
                LogInboxUserMissing(logger, userName, inbound.Contact.Channel);
                continue;
            }
            memberIds.Add(user.Id.ToString());
        }
        var now = Now();
        var id = Guid.CreateVersion7();
        var name = Trim(inbound.ContactName) is { Length: > 0 } given ? Truncate(given, 200) : inbound.Contact.Address;
        var conversation = new Conversation(id, ConversationKind.Contact, name, null, null, inbound.Contact.SenderId, now, now, 0, 0,
            memberIds.Count, inbound.Contact);
        var members = memberIds.Select(m => new ConversationMember(id, m, MemberRole.Member, now, 0, 0)).ToList();
        var created = await store.CreateConversationAsync(new NewConversation(conversation, members, key), [], cancellationToken).ConfigureAwait(false);
        if (created.Created)
        {
            LogCreated(logger, id, ConversationKind.Contact, inbound.Contact.SenderId);
        }
        return created.Conversation;
    }

    /// <summary>
    /// A reply in a contact's conversation goes back through the channel they wrote from, to their address; naming
    /// another channel is refused rather than silently ignored.
    /// </summary>
    private IReadOnlyList<string> ReplyChannels(ChannelContact contact, IReadOnlyList<string> requested)
    {
        if (requested.Any(c => !string.Equals(c, contact.Channel, StringComparison.Ordinal)))
        {
            throw new SwitchboardException(ErrorCodes.InvalidChannel,
                $"Replies to a contact go back through the channel they wrote from ('{contact.Channel}'); leave channels out.");
        }
        if (!deliveryChannels.IsEnabled(contact.Channel))
        {
            throw new SwitchboardException(ErrorCodes.ChannelUnavailable,
                $"The contact wrote through '{contact.Channel}', which is disabled or no longer configured; enable it (PATCH /v1/channels/{contact.Channel} {{\"enabled\": true}}) to reply.");
        }
        return [contact.Channel];
    }

    /// <summary>Provider texts are bounded by the provider; should one exceed the chat limit, it is cut at a character boundary rather than refused (a refusal would be retried forever).</summary>
    private static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > maxBytes)
            {
                break;
            }
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    private sealed record MessageReceivedEvent(
        Guid ConversationId, Guid MessageId, long Seq, string Channel, string Address, string? ContactName, string ProviderMessageId,
        string Text, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);

    [LoggerMessage(EventId = EventIds.Chat.ContactMessageReceived, Level = LogLevel.Information, Message = "Message {MessageId} from a contact on {Channel} landed in conversation {ConversationId}")]
    private static partial void LogReceived(ILogger logger, Guid messageId, Guid conversationId, string channel);

    [LoggerMessage(EventId = EventIds.Chat.InboxUserMissing, Level = LogLevel.Warning, Message = "Inbox user '{UserName}' of channel {Channel} does not exist or is disabled; not adding them to the contact's conversation")]
    private static partial void LogInboxUserMissing(ILogger logger, string userName, string channel);
}
