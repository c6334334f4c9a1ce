using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Files;
using Switchboard.Identity;
using Switchboard.Operations;

namespace Switchboard.Chat;

/// <summary>
/// Chat for every transport (REST, the hub): validates input, decides who may do what, and calls the engine's
/// <see cref="IChatStore"/>, whose commits carry the outbox entries (delivery jobs, system events). After a commit it
/// pushes the change live through <see cref="IChatEvents"/>; a failed push is logged, never fails the call.
/// </summary>
/// <remarks>
/// Every call demands <c>chat:use</c>. Non-members of private and group conversations get
/// <c>conversation_not_found</c>, so existence is not leaked. Server admins moderate rooms and groups (update, delete,
/// remove members) but read only conversations they are in, and rooms, which are public.
/// </remarks>
public sealed partial class ChatService(
    IChatStore store,
    BrokerService broker,
    IIdentityStore identity,
    IDeliveryChannels deliveryChannels,
    IOptionsMonitor<ChatOptions> options,
    TimeProvider time,
    ILogger<ChatService> logger,
    IChatEvents? events = null,
    IFileCatalog? files = null,
    ChatSenderNames? senderNames = null)
{
    public const string Area = "chat";
    public const string Use = "use";
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxClientMessageIdLength = 100;
    public const int MaxQueryLength = 500;
    public const int MaxSearchWords = 16;
    public const int MaxEmojiLength = 32;
    public const int MaxChannels = 32;

    /// <summary>The channel name that stands for every enabled channel instance.</summary>
    public const string AllChannels = "all";

    private readonly ConcurrentDictionary<string, bool> _ensured = new(StringComparer.Ordinal);

    private readonly ChatSenderNames _senderNames = senderNames ?? new ChatSenderNames(identity);

    private ChatOptions Options => options.CurrentValue;

    /// <summary>Sender id → username for the messages' senders that are local users (contacts have none); one read per unseen sender.</summary>
    public Task<IReadOnlyDictionary<string, string>> SenderUsernamesAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default) =>
        _senderNames.ResolveAsync(messages, cancellationToken);

    /// <summary>Who hears about changes of the conversation; null when it does not exist.</summary>
    public async Task<ChatAudience?> AudienceAsync(Guid conversationId, CancellationToken cancellationToken = default)
    {
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return conversation is null ? null : await AudienceOfAsync(conversation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The distinct users sharing a private or group conversation with <paramref name="userId"/> (presence goes to them).</summary>
    public Task<IReadOnlyList<string>> PeersOfAsync(string userId, CancellationToken cancellationToken = default) =>
        store.PeersOfAsync(userId, cancellationToken);

    /// <summary>
    /// The caller's membership; for the hub before it lets a connection act in a conversation. Throws
    /// <c>conversation_not_found</c> for private and group conversations the caller is not in, <c>not_a_member</c>
    /// for a room not joined.
    /// </summary>
    public async Task<ConversationMember> RequireMemberAsync(Caller caller, Guid conversationId, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var member = await store.GetMemberAsync(conversationId, caller.Id, cancellationToken).ConfigureAwait(false);
        if (member is not null)
        {
            return member;
        }
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false);
        if (conversation?.Kind == ConversationKind.Room)
        {
            throw new SwitchboardException(ErrorCodes.NotAMember, "Join the room first (POST /v1/rooms/{id}/join or the hub's JoinRoom).");
        }
        throw ConversationNotFound(conversationId);
    }

    /// <summary>Whether the caller may receive a conversation's live events: its members, and anyone for a room.</summary>
    public async Task<bool> CanJoinLiveAsync(Caller caller, Guid conversationId, CancellationToken cancellationToken = default)
    {
        if (!caller.Can(Area, Use))
        {
            return false;
        }
        var conversation = await store.GetConversationAsync(conversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null)
        {
            return false;
        }
        return conversation.Kind == ConversationKind.Room
            || await store.GetMemberAsync(conversationId, caller.Id, cancellationToken).ConfigureAwait(false) is not null;
    }

    private static void Demand(Caller caller) => caller.Demand(Area, Use);

    /// <summary>The conversation if the caller may read it: a member, or anyone for a room.</summary>
    private async Task<(Conversation Conversation, ConversationMember? Member)> ReadableAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        Demand(caller);
        var conversation = await store.GetConversationAsync(id, cancellationToken).ConfigureAwait(false) ?? throw ConversationNotFound(id);
        var member = await store.GetMemberAsync(id, caller.Id, cancellationToken).ConfigureAwait(false);
        if (member is null && conversation.Kind != ConversationKind.Room)
        {
            throw ConversationNotFound(id);
        }
        return (conversation, member);
    }

    /// <summary>
    /// The conversation for a management call: members of it, or a server admin for a room, group or contact
    /// conversation (so an admin can add inbox users to a contact's conversation). A private
    /// conversation stays invisible to everyone else.
    /// </summary>
    private async Task<(Conversation Conversation, ConversationMember? Member)> ManageableAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        Demand(caller);
        var conversation = await store.GetConversationAsync(id, cancellationToken).ConfigureAwait(false) ?? throw ConversationNotFound(id);
        var member = await store.GetMemberAsync(id, caller.Id, cancellationToken).ConfigureAwait(false);
        if (member is null && !(conversation.Kind == ConversationKind.Room || (caller.IsAdmin && conversation.Kind is ConversationKind.Group or ConversationKind.Contact)))
        {
            throw ConversationNotFound(id);
        }
        return (conversation, member);
    }

    private static bool IsManager(Caller caller, ConversationMember? member) =>
        caller.IsAdmin || member?.Role is MemberRole.Owner or MemberRole.Admin;

    private async Task<ChatAudience> AudienceOfAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        if (conversation.Kind == ConversationKind.Room)
        {
            return new ChatAudience(conversation.Id, conversation.Kind, []);
        }
        var members = await store.ListMembersAsync(conversation.Id, cancellationToken).ConfigureAwait(false);
        return new ChatAudience(conversation.Id, conversation.Kind, members.Select(m => m.UserId).ToArray());
    }

    /// <summary>Creates the topic and queues the outbox will publish to, once per process (the broker refuses unknown targets).</summary>
    private async Task EnsureTargetsAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        if (!_ensured.ContainsKey(SystemEvents.Topic))
        {
            await broker.EnsureTopicAsync(BrokerService.System, SystemEvents.Topic, cancellationToken).ConfigureAwait(false);
            _ensured[SystemEvents.Topic] = true;
        }
        foreach (var channel in channels)
        {
            var queue = DeliveryJob.QueueFor(channel);
            if (!_ensured.ContainsKey(queue))
            {
                await broker.EnsureQueueAsync(BrokerService.System, queue, null, cancellationToken).ConfigureAwait(false);
                _ensured[queue] = true;
            }
        }
    }

    /// <summary>Runs a write whose outbox targets were ensured; if one was deleted since, ensures again and retries once.</summary>
    private async Task<T> WithTargetsAsync<T>(IReadOnlyList<string> channels, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await EnsureTargetsAsync(channels, cancellationToken).ConfigureAwait(false);
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (SwitchboardException ex) when (ex.Error == ErrorCodes.QueueNotFound || ex.Error == ErrorCodes.TopicNotFound)
        {
            _ensured.Clear();
            await EnsureTargetsAsync(channels, cancellationToken).ConfigureAwait(false);
            return await write().ConfigureAwait(false);
        }
    }

    private async Task LiveAsync(string what, Func<IChatEvents, Task> push)
    {
        if (events is null)
        {
            return;
        }
        try
        {
            await push(events).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogLiveFailed(logger, ex, what);
        }
    }

    // Milliseconds: what every engine stores, so a returned record equals what is read back later.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private static int PageSize(int? limit)
    {
        if (limit is null)
        {
            return DefaultPageSize;
        }
        if (limit is < 1 or > MaxPageSize)
        {
            throw SwitchboardException.Validation("limit", $"limit must be between 1 and {MaxPageSize} (default {DefaultPageSize}).");
        }
        return limit.Value;
    }

    public static SwitchboardException ConversationNotFound(Guid id) =>
        new(ErrorCodes.ConversationNotFound, $"Conversation '{id}' does not exist or you are not a member of it.");

    private static SwitchboardException MessageNotFound(Guid id) =>
        new(ErrorCodes.ChatMessageNotFound, $"Message '{id}' does not exist in this conversation.");

    [LoggerMessage(EventId = EventIds.Chat.LiveFailed, Level = LogLevel.Warning, Message = "Pushing {Event} live failed; clients catch up with Sync")]
    private static partial void LogLiveFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = EventIds.Chat.ConversationCreated, Level = LogLevel.Information, Message = "Conversation {ConversationId} ({Kind}) created by {UserId}")]
    private static partial void LogCreated(ILogger logger, Guid conversationId, ConversationKind kind, string userId);

    [LoggerMessage(EventId = EventIds.Chat.ConversationDeleted, Level = LogLevel.Information, Message = "Conversation {ConversationId} deleted by {UserId}")]
    private static partial void LogDeleted(ILogger logger, Guid conversationId, string userId);
}
