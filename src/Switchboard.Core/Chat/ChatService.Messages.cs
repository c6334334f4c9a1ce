using System.Text;
using System.Text.Json;
using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Identity;

namespace Switchboard.Chat;

public sealed partial class ChatService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Sends a message to a conversation the caller is a member of (a room: joined). The message, its seq, one
    /// delivery job per channel and <c>message.sent</c> are committed together. The same client message id from the
    /// same sender returns the first message (<see cref="SendResult.Duplicate"/>), also under concurrent retries.
    /// </summary>
    public async Task<SendResult> SendAsync(Caller caller, Guid conversationId, SendMessage input, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var limits = Options;
        var text = input.Text ?? "";
        var attachments = (input.Attachments ?? []).Distinct().ToArray();
        var validation = new Validation();
        validation.Require(input.ClientMessageId is null
            || (input.ClientMessageId.Length is >= 1 and <= MaxClientMessageIdLength && !input.ClientMessageId.Any(char.IsControl)),
            "clientMessageId", $"clientMessageId must be 1–{MaxClientMessageIdLength} characters without control characters.");
        validation.Require(!string.IsNullOrWhiteSpace(text) || attachments.Length > 0, "text", "text must not be empty unless files are attached.");
        validation.Require(attachments.Length <= limits.MaxAttachments, "attachments",
            $"A message may carry at most {limits.MaxAttachments} files (Chat:MaxAttachments).");
        validation.Require(attachments.All(a => a != Guid.Empty), "attachments", "Attachments are file ids returned by the upload.");
        validation.ThrowIfInvalid();
        CheckTextSize(text, limits.MaxTextBytes);
        var channels = ResolveChannels(input.Channels);

        var member = await RequireMemberAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false) ?? throw ConversationNotFound(conversationId);
        if (conversation.Contact is { } contact)
        {
            channels = ReplyChannels(contact, channels);
        }
        if (attachments.Length > 0)
        {
            await CheckAttachmentsAsync(caller, attachments, cancellationToken).ConfigureAwait(false);
        }
        if (input.ReplyTo is { } replyTo && await store.GetMessageAsync(conversationId, replyTo, cancellationToken).ConfigureAwait(false) is null)
        {
            var ex = new SwitchboardException(ErrorCodes.ChatMessageNotFound, $"replyTo: message '{replyTo}' does not exist in this conversation.");
            ex.Extensions["field"] = "replyTo";
            throw ex;
        }

        var now = Now();
        var message = new NewMessage(Guid.CreateVersion7(), conversationId, member.UserId, input.ClientMessageId, text, attachments,
            input.ReplyTo, channels, now);
        var result = await WithTargetsAsync(channels, () => store.AppendMessageAsync(message, m => Outbox(m, now, conversation.Contact?.Address), cancellationToken), cancellationToken)
            .ConfigureAwait(false) ?? throw ConversationNotFound(conversationId);
        await AnnounceAsync(conversation, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Pushes a newly stored message live; a duplicate was pushed when it was first stored. The conversation read
    /// before the append still says who hears it: its kind does not change, and members are listed afresh.
    /// </summary>
    private async Task AnnounceAsync(Conversation conversation, SendResult result, CancellationToken cancellationToken)
    {
        if (result.Duplicate)
        {
            return;
        }
        var audience = await AudienceOfAsync(conversation, cancellationToken).ConfigureAwait(false);
        await LiveAsync("MessageReceived", e => e.MessageReceivedAsync(audience, result.Message, CancellationToken.None)).ConfigureAwait(false);
    }

    /// <summary>
    /// A page of history in seq order: the newest (below <paramref name="before"/> when given), or with
    /// <paramref name="after"/> the oldest above it. Deleted messages appear as tombstones.
    /// </summary>
    public async Task<IReadOnlyList<ChatMessage>> ListMessagesAsync(Caller caller, Guid conversationId, long? before, long? after, int? limit, CancellationToken cancellationToken = default)
    {
        var size = PageSize(limit);
        new Validation()
            .Require(before is null or >= 1, "before", "before is a seq, 1 or more.")
            .Require(after is null or >= 0, "after", "after is a seq, 0 or more.")
            .ThrowIfInvalid();
        await ReadableAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        return await store.ListMessagesAsync(conversationId, before, after, size, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChatMessage> GetMessageAsync(Caller caller, Guid conversationId, Guid messageId, CancellationToken cancellationToken = default)
    {
        await ReadableAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        return await store.GetMessageAsync(conversationId, messageId, cancellationToken).ConfigureAwait(false) ?? throw MessageNotFound(messageId);
    }

    /// <summary>Replaces the text of the caller's own message; attachments stay.</summary>
    public async Task<ChatMessage> EditAsync(Caller caller, Guid conversationId, Guid messageId, string? text, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        text ??= "";
        CheckTextSize(text, Options.MaxTextBytes);
        var member = await RequireMemberAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        var now = Now();
        return await ChangeAsync(conversationId, messageId, current =>
        {
            if (!string.Equals(current.SenderId, member.UserId, StringComparison.Ordinal))
            {
                throw new SwitchboardException(ErrorCodes.Forbidden, "Only the sender may edit a message.");
            }
            if (string.IsNullOrWhiteSpace(text) && current.Attachments.Count == 0)
            {
                throw SwitchboardException.Validation("text", "text must not be empty unless files are attached; delete the message instead.");
            }
            return string.Equals(current.Text, text, StringComparison.Ordinal) ? null : current with { Text = text, EditedAt = now };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a message, leaving a tombstone (text, attachments and reactions emptied): its sender, the
    /// conversation's owner or admins, or a server admin in a room or group. Deleting a tombstone changes nothing.
    /// </summary>
    public async Task<ChatMessage> DeleteMessageAsync(Caller caller, Guid conversationId, Guid messageId, CancellationToken cancellationToken = default)
    {
        var (conversation, member) = await ManageableAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        var manager = IsManager(caller, member) && (member is not null || conversation.Kind != ConversationKind.Private);
        var now = Now();
        return await ChangeAsync(conversationId, messageId, current =>
        {
            if (!manager && !string.Equals(current.SenderId, caller.Id, StringComparison.Ordinal))
            {
                throw new SwitchboardException(ErrorCodes.Forbidden, "Only the sender, or an owner or admin of the conversation, may delete a message.");
            }
            return current.DeletedAt is not null
                ? null
                : current with { Text = "", Attachments = [], Reactions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), DeletedAt = now };
        }, cancellationToken, allowTombstone: true).ConfigureAwait(false);
    }

    /// <summary>Adds or removes the caller's reaction; doing what is already done changes nothing.</summary>
    public async Task<ChatMessage> ReactAsync(Caller caller, Guid conversationId, Guid messageId, string emoji, bool add, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        if (string.IsNullOrEmpty(emoji) || emoji.Length > MaxEmojiLength || emoji.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw SwitchboardException.Validation("emoji", $"emoji must be 1–{MaxEmojiLength} characters without spaces or control characters.");
        }
        var member = await RequireMemberAsync(caller, conversationId, cancellationToken).ConfigureAwait(false);
        return await ChangeAsync(conversationId, messageId, current =>
        {
            var users = current.Reactions.TryGetValue(emoji, out var list) ? list : [];
            var has = users.Contains(member.UserId, StringComparer.Ordinal);
            if (has == add)
            {
                return null;
            }
            var reactions = new Dictionary<string, IReadOnlyList<string>>(current.Reactions, StringComparer.Ordinal);
            var next = add ? users.Append(member.UserId).ToArray() : users.Where(u => !string.Equals(u, member.UserId, StringComparison.Ordinal)).ToArray();
            if (next.Length == 0)
            {
                reactions.Remove(emoji);
            }
            else
            {
                reactions[emoji] = next;
            }
            return current with { Reactions = reactions };
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ChatMessage> ChangeAsync(Guid conversationId, Guid messageId, Func<ChatMessage, ChatMessage?> change, CancellationToken cancellationToken, bool allowTombstone = false)
    {
        var result = await store.ChangeMessageAsync(conversationId, messageId, current =>
        {
            if (current.DeletedAt is not null && !allowTombstone)
            {
                throw new SwitchboardException(ErrorCodes.ChatMessageNotFound, $"Message '{messageId}' was deleted.");
            }
            return change(current);
        }, cancellationToken).ConfigureAwait(false) ?? throw MessageNotFound(messageId);
        if (result.Changed)
        {
            var audience = await AudienceAsync(conversationId, cancellationToken).ConfigureAwait(false);
            if (audience is not null)
            {
                await LiveAsync("MessageUpdated", e => e.MessageUpdatedAsync(audience, result.Message, CancellationToken.None)).ConfigureAwait(false);
            }
        }
        return result.Message;
    }

    /// <param name="recipient">The contact's address when the message replies to a contact; else null.</param>
    private IReadOnlyList<OutboxEntry> Outbox(ChatMessage message, DateTimeOffset now, string? recipient)
    {
        var entries = new List<OutboxEntry>(message.Channels.Count + 1);
        foreach (var channel in message.Channels)
        {
            var job = new DeliveryJob(Guid.CreateVersion7(), channel, message.ConversationId, message.Id, message.Seq, message.SenderId,
                message.Text, message.Attachments, message.CreatedAt, recipient);
            entries.Add(OutboxEntry.ToQueue(DeliveryJob.QueueFor(channel), new OutgoingMessage(JsonSerializer.SerializeToUtf8Bytes(job, Json))
            {
                Encoding = BodyEncoding.Utf8,
                Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["channel"] = channel },
            }));
        }
        entries.Add(SystemEvents.Create(SystemEvents.MessageSent, new MessageSentEvent(
            message.ConversationId, message.Id, message.Seq, message.SenderId, message.ClientMessageId, message.Text,
            message.Attachments, message.ReplyTo, message.Channels, message.CreatedAt), now));
        return entries;
    }

    private IReadOnlyList<string> ResolveChannels(IReadOnlyList<string>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            return [];
        }
        if (requested.Count > MaxChannels)
        {
            throw new SwitchboardException(ErrorCodes.InvalidChannel, $"Name at most {MaxChannels} channels, or [\"all\"].");
        }
        var result = new List<string>();
        foreach (var name in requested)
        {
            if (string.Equals(name, AllChannels, StringComparison.Ordinal))
            {
                result.AddRange(deliveryChannels.Enabled);
                continue;
            }
            if (string.IsNullOrEmpty(name) || !deliveryChannels.IsEnabled(name))
            {
                var enabled = deliveryChannels.Enabled;
                var ex = new SwitchboardException(ErrorCodes.InvalidChannel, enabled.Count == 0
                    ? $"Channel '{name}' is not configured; this server has no enabled channels (Channels:Instances)."
                    : $"Channel '{name}' is not configured or not enabled; use one of {string.Join(", ", enabled)}, or \"all\".");
                ex.Extensions["channel"] = name;
                throw ex;
            }
            result.Add(name);
        }
        return result.Distinct(StringComparer.Ordinal).ToArray();
    }

    private async Task CheckAttachmentsAsync(Caller caller, IReadOnlyList<Guid> attachments, CancellationToken cancellationToken)
    {
        if (files is null)
        {
            throw new SwitchboardException(ErrorCodes.InvalidAttachment, "This server does not store files, so messages cannot carry attachments; send text only.");
        }
        foreach (var id in attachments)
        {
            var file = await files.FindAsync(id, cancellationToken).ConfigureAwait(false);
            string? problem = file is null || !string.Equals(file.OwnerId, caller.Id, StringComparison.Ordinal)
                ? $"File '{id}' does not exist or is not yours; attach files you uploaded."
                : !file.Complete ? $"File '{id}' is not completely uploaded yet; finish the upload first." : null;
            if (problem is not null)
            {
                var ex = new SwitchboardException(ErrorCodes.InvalidAttachment, problem);
                ex.Extensions["fileId"] = id;
                throw ex;
            }
        }
    }

    private static void CheckTextSize(string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > maxBytes)
        {
            var ex = new SwitchboardException(ErrorCodes.TextTooLong, $"The text is {bytes} UTF-8 bytes; the limit is {maxBytes} (Chat:MaxTextBytes). Split it or attach it as a file.");
            ex.Extensions["maxTextBytes"] = maxBytes;
            throw ex;
        }
    }

    private sealed record MessageSentEvent(
        Guid ConversationId, Guid MessageId, long Seq, string SenderId, string? ClientMessageId, string Text,
        IReadOnlyList<Guid> Attachments, Guid? ReplyTo, IReadOnlyList<string> Channels, DateTimeOffset CreatedAt);
}
