using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Identity;

namespace Switchboard.Chat;

public sealed partial class ChatService
{
    /// <summary>
    /// Creates a conversation. Private: the caller and exactly one other user; asking again (by either of them, also
    /// concurrently) returns the existing one with <see cref="ConversationCreated.Created"/> false. Group: 3 up to
    /// <c>Chat:MaxGroupMembers</c> members, the caller owner. Room: a name, the caller owner and only member.
    /// </summary>
    public async Task<ConversationCreated> CreateConversationAsync(Caller caller, CreateConversation input, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var others = (await ResolveMembersAsync(input.Members, cancellationToken).ConfigureAwait(false)).Select(NormalizeUserId).Where(m => !string.Equals(m, caller.Id, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        var validation = new Validation();
        validation.Require(Enum.IsDefined(input.Kind) && input.Kind != ConversationKind.Contact, "kind",
            "kind must be 'private', 'group' or 'room'; a contact's conversation starts with their first message through a channel.");
        validation.Require(others.All(m => !string.IsNullOrWhiteSpace(m) && m.Length <= 200), "members", "Every member must be a user id or a username.");
        var limit = Options.MaxGroupMembers;
        switch (input.Kind)
        {
            case ConversationKind.Private:
                validation.Require(others.Length == 1, "members", "A private conversation has exactly two members: name the one other user.");
                validation.Require(input.Name is null && input.Topic is null && input.Description is null, "name",
                    "A private conversation has no name, topic or description; create a group for that.");
                break;
            case ConversationKind.Group:
                validation.Require(others.Length >= 2, "members", $"A group has at least 3 members, you included: name at least two other users (or create a private conversation).");
                ValidateTexts(validation, input.Name, input.Topic, input.Description, nameRequired: false);
                break;
            case ConversationKind.Room:
                validation.Require(others.Length == 0, "members", "A room starts with its creator alone; others join it themselves.");
                ValidateTexts(validation, input.Name, input.Topic, input.Description, nameRequired: true);
                break;
        }
        validation.ThrowIfInvalid();
        if (input.Kind == ConversationKind.Group && others.Length + 1 > limit)
        {
            throw new SwitchboardException(ErrorCodes.TooManyMembers,
                $"A group may have at most {limit} members, you included (Chat:MaxGroupMembers); you named {others.Length + 1}.");
        }

        string? pairKey = null;
        if (input.Kind == ConversationKind.Private)
        {
            pairKey = ChatNames.PairKey(caller.Id, others[0]);
            // The common case of "open the chat with Bob" writes nothing.
            if (await store.FindPrivateAsync(pairKey, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return new ConversationCreated(existing, false);
            }
        }
        await RequireUsersAsync(others, cancellationToken).ConfigureAwait(false);

        var now = Now();
        var id = Guid.CreateVersion7();
        var conversation = new Conversation(id, input.Kind, Trim(input.Name), Trim(input.Topic), Trim(input.Description),
            caller.Id, now, now, 0, 0, others.Length + 1);
        var members = new List<ConversationMember>
        {
            new(id, caller.Id, input.Kind == ConversationKind.Private ? MemberRole.Member : MemberRole.Owner, now, 0, 0),
        };
        members.AddRange(others.Select(m => new ConversationMember(id, m, MemberRole.Member, now, 0, 0)));
        IReadOnlyList<OutboxEntry> outbox = input.Kind == ConversationKind.Room
            ? [SystemEvents.Create(SystemEvents.RoomCreated, RoomEvent.Of(conversation, caller.Id), now)]
            : [];
        var created = await WithTargetsAsync([], () => store.CreateConversationAsync(new NewConversation(conversation, members, pairKey), outbox, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (created.Created)
        {
            LogCreated(logger, id, input.Kind, caller.Id);
        }
        return created;
    }

    public async Task<Conversation> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken = default) =>
        (await ReadableAsync(caller, id, cancellationToken).ConfigureAwait(false)).Conversation;

    /// <summary>The caller's conversations, most recently active first, with the last message and the unread count.</summary>
    public async Task<ChatPage<ConversationSummary>> ListMineAsync(Caller caller, int? limit, string? cursor, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var size = PageSize(limit);
        var after = ChatCursor.DecodeConversation(cursor);
        var items = await store.ListForMemberAsync(caller.Id, after, size + 1, cancellationToken).ConfigureAwait(false);
        if (items.Count <= size)
        {
            return new ChatPage<ConversationSummary>(items.Select(i => i.Summary).ToArray(), null);
        }
        var last = items[size - 1];
        return new ChatPage<ConversationSummary>(items.Take(size).Select(i => i.Summary).ToArray(),
            ChatCursor.EncodeConversation(new ConversationCursor(last.Activity, last.Summary.Conversation.Id)));
    }

    /// <summary>Public rooms, oldest first.</summary>
    public async Task<ChatPage<Conversation>> ListRoomsAsync(Caller caller, int? limit, string? cursor, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var size = PageSize(limit);
        var items = await store.ListRoomsAsync(ChatCursor.DecodeRoom(cursor), size + 1, cancellationToken).ConfigureAwait(false);
        return items.Count <= size
            ? new ChatPage<Conversation>(items, null)
            : new ChatPage<Conversation>(items.Take(size).ToArray(), ChatCursor.EncodeRoom(items[size - 1].Id));
    }

    /// <summary>Renames a group or room, or changes its topic or description: its owner or admins, or a server admin.</summary>
    public async Task<Conversation> UpdateAsync(Caller caller, Guid id, UpdateConversation input, CancellationToken cancellationToken = default)
    {
        var (conversation, member) = await ManageableAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (conversation.Kind == ConversationKind.Private)
        {
            throw SwitchboardException.Validation("name", "A private conversation has no name, topic or description; create a group for that.");
        }
        RequireManager(caller, member, "change the conversation");
        var validation = new Validation();
        ValidateTexts(validation, input.Name, input.Topic, input.Description, nameRequired: false);
        validation.Require(input.Name is null || conversation.Kind != ConversationKind.Room || !string.IsNullOrWhiteSpace(input.Name), "name", "A room needs a name.");
        validation.ThrowIfInvalid();
        var now = Now();
        var update = new UpdateConversation(input.Name?.Trim(), input.Topic?.Trim(), input.Description?.Trim());
        var changed = conversation with
        {
            Name = update.Name is null ? conversation.Name : NullIfEmpty(update.Name),
            Topic = update.Topic is null ? conversation.Topic : NullIfEmpty(update.Topic),
            Description = update.Description is null ? conversation.Description : NullIfEmpty(update.Description),
        };
        IReadOnlyList<OutboxEntry> outbox = conversation.Kind == ConversationKind.Room
            ? [SystemEvents.Create(SystemEvents.RoomUpdated, RoomEvent.Of(changed, caller.Id), now)]
            : [];
        var updated = await WithTargetsAsync([], () => store.UpdateConversationAsync(id, update, now, outbox, cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw ConversationNotFound(id);
        var audience = await AudienceOfAsync(updated, cancellationToken).ConfigureAwait(false);
        await LiveAsync("RoomUpdated", e => e.RoomUpdatedAsync(audience, updated, false, CancellationToken.None)).ConfigureAwait(false);
        return updated;
    }

    /// <summary>
    /// Deletes a conversation with its history: for a room or group its owner or admins (or a server admin), for a
    /// private conversation either member.
    /// </summary>
    public async Task DeleteAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        var (conversation, member) = await ManageableAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (conversation.Kind != ConversationKind.Private)
        {
            RequireManager(caller, member, "delete the conversation");
        }
        var audience = await AudienceOfAsync(conversation, cancellationToken).ConfigureAwait(false);
        var now = Now();
        IReadOnlyList<OutboxEntry> outbox = conversation.Kind == ConversationKind.Room
            ? [SystemEvents.Create(SystemEvents.RoomDeleted, RoomEvent.Of(conversation, caller.Id), now)]
            : [];
        if (!await WithTargetsAsync([], () => store.DeleteConversationAsync(id, outbox, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            throw ConversationNotFound(id);
        }
        LogDeleted(logger, id, caller.Id);
        await LiveAsync("RoomUpdated", e => e.RoomUpdatedAsync(audience, conversation, true, CancellationToken.None)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConversationMember>> ListMembersAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        await ReadableAsync(caller, id, cancellationToken).ConfigureAwait(false);
        return await store.ListMembersAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds an existing user to a group or room: its owner or admins, or a server admin. Only the owner or a server
    /// admin may add an admin; ownership is never given this way. Adding a member again changes nothing.
    /// </summary>
    public async Task<ConversationMember> AddMemberAsync(Caller caller, Guid id, string userId, MemberRole? role = null, CancellationToken cancellationToken = default)
    {
        var (conversation, member) = await ManageableAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (conversation.Kind == ConversationKind.Private)
        {
            throw new SwitchboardException(ErrorCodes.MembershipFixed, "A private conversation always has its two members; create a group to talk with more people.");
        }
        RequireManager(caller, member, "add members");
        var newRole = role ?? MemberRole.Member;
        if (newRole == MemberRole.Owner || !Enum.IsDefined(newRole))
        {
            throw SwitchboardException.Validation("role", "role must be 'member' or 'admin'; a conversation has one owner, its creator.");
        }
        if (newRole == MemberRole.Admin && !(caller.IsAdmin || member?.Role == MemberRole.Owner))
        {
            throw new SwitchboardException(ErrorCodes.Forbidden, "Only the owner may add admins.");
        }
        userId = NormalizeUserId(userId);
        await RequireUsersAsync([userId], cancellationToken).ConfigureAwait(false);
        return await AddAsync(caller, conversation, userId, newRole, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes a member: anyone may leave (a private conversation excepted); the owner removes anyone, admins remove
    /// members, a server admin anyone. Leaving may take a group below 3 members. An owner who leaves hands ownership
    /// to the longest-standing admin, else member.
    /// </summary>
    public async Task RemoveMemberAsync(Caller caller, Guid id, string userId, CancellationToken cancellationToken = default)
    {
        var (conversation, member) = await ManageableAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (conversation.Kind == ConversationKind.Private)
        {
            throw new SwitchboardException(ErrorCodes.MembershipFixed, "A private conversation always has its two members; delete it instead.");
        }
        userId = NormalizeUserId(userId);
        if (!string.Equals(userId, caller.Id, StringComparison.Ordinal))
        {
            RequireManager(caller, member, "remove members");
            var target = await store.GetMemberAsync(id, userId, cancellationToken).ConfigureAwait(false)
                ?? throw new SwitchboardException(ErrorCodes.UserNotFound, $"'{userId}' is not a member of this conversation.");
            var allowed = caller.IsAdmin || member!.Role == MemberRole.Owner || target.Role == MemberRole.Member;
            if (!allowed)
            {
                throw new SwitchboardException(ErrorCodes.Forbidden, "Admins may remove members only; ask the owner to remove an admin or the owner.");
            }
        }
        await RemoveAsync(caller, conversation, userId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Joins a public room (joining again changes nothing).</summary>
    public async Task<ConversationMember> JoinRoomAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var conversation = await store.GetConversationAsync(id, cancellationToken).ConfigureAwait(false);
        if (conversation is null || conversation.Kind != ConversationKind.Room)
        {
            throw new SwitchboardException(ErrorCodes.ConversationNotFound, $"Room '{id}' does not exist.");
        }
        return await AddAsync(caller, conversation, caller.Id, MemberRole.Member, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves a room; leaving one the caller is not in is refused with <c>not_a_member</c>.</summary>
    public async Task LeaveRoomAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var conversation = await store.GetConversationAsync(id, cancellationToken).ConfigureAwait(false);
        if (conversation is null || conversation.Kind != ConversationKind.Room)
        {
            throw new SwitchboardException(ErrorCodes.ConversationNotFound, $"Room '{id}' does not exist.");
        }
        await RemoveAsync(caller, conversation, caller.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConversationMember> AddAsync(Caller caller, Conversation conversation, string userId, MemberRole role, CancellationToken cancellationToken)
    {
        var now = Now();
        var member = new ConversationMember(conversation.Id, userId, role, now, 0, 0);
        IReadOnlyList<OutboxEntry> outbox = conversation.Kind == ConversationKind.Room
            ? [SystemEvents.Create(SystemEvents.UserJoinedRoom, new MemberEvent(conversation.Id, conversation.Name, userId, caller.Id), now)]
            : [];
        var max = conversation.Kind == ConversationKind.Group ? Options.MaxGroupMembers : int.MaxValue;
        var outcome = await WithTargetsAsync([], () => store.AddMemberAsync(member, max, outbox, cancellationToken), cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case MemberChange.ConversationNotFound:
                throw ConversationNotFound(conversation.Id);
            case MemberChange.TooManyMembers:
                throw new SwitchboardException(ErrorCodes.TooManyMembers, $"The group already has the most members allowed, {max} (Chat:MaxGroupMembers).");
            case MemberChange.Added:
                var audience = await AudienceOfAsync(conversation, cancellationToken).ConfigureAwait(false);
                await LiveAsync("UserJoined", e => e.UserJoinedAsync(audience, userId, CancellationToken.None)).ConfigureAwait(false);
                break;
        }
        return await store.GetMemberAsync(conversation.Id, userId, cancellationToken).ConfigureAwait(false) ?? throw ConversationNotFound(conversation.Id);
    }

    private async Task RemoveAsync(Caller caller, Conversation conversation, string userId, CancellationToken cancellationToken)
    {
        // Taken before the removal, so the member who leaves hears it too.
        var audience = await AudienceOfAsync(conversation, cancellationToken).ConfigureAwait(false);
        var now = Now();
        IReadOnlyList<OutboxEntry> outbox = conversation.Kind == ConversationKind.Room
            ? [SystemEvents.Create(SystemEvents.UserLeftRoom, new MemberEvent(conversation.Id, conversation.Name, userId, caller.Id), now)]
            : [];
        var outcome = await WithTargetsAsync([], () => store.RemoveMemberAsync(conversation.Id, userId, outbox, cancellationToken), cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case MemberChange.ConversationNotFound:
                throw ConversationNotFound(conversation.Id);
            case MemberChange.NotMember:
                throw new SwitchboardException(ErrorCodes.NotAMember, $"'{userId}' is not a member of this conversation.");
            default:
                await LiveAsync("UserLeft", e => e.UserLeftAsync(audience, userId, CancellationToken.None)).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Members must be local accounts: their ids are user ids (GUIDs) the identity store knows. Subjects of external
    /// OIDC issuers have no directory to check against, so they can take part as callers but not be added by others.
    /// </summary>
    private async Task RequireUsersAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        foreach (var userId in userIds)
        {
            if (!Guid.TryParse(userId, out var id) || await identity.GetUserAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                var ex = new SwitchboardException(ErrorCodes.UserNotFound, $"No user has the id '{userId}'; members are named by user id.");
                ex.Extensions["userId"] = userId;
                throw ex;
            }
        }
    }

    private static void RequireManager(Caller caller, ConversationMember? member, string what)
    {
        if (!IsManager(caller, member))
        {
            throw new SwitchboardException(ErrorCodes.Forbidden, $"Only the owner or an admin of the conversation may {what}.");
        }
    }

    private void ValidateTexts(Validation validation, string? name, string? topic, string? description, bool nameRequired)
    {
        var limits = Options;
        if (nameRequired)
        {
            validation.Require(!string.IsNullOrWhiteSpace(name), "name", "A room needs a name.");
        }
        validation.Require(name is null || (name.Trim().Length <= limits.MaxNameLength && !name.Any(char.IsControl)), "name",
            $"name must be at most {limits.MaxNameLength} characters (Chat:MaxNameLength) without control characters.");
        validation.Require(topic is null || topic.Trim().Length <= limits.MaxDescriptionLength, "topic",
            $"topic must be at most {limits.MaxDescriptionLength} characters (Chat:MaxDescriptionLength).");
        validation.Require(description is null || description.Trim().Length <= limits.MaxDescriptionLength, "description",
            $"description must be at most {limits.MaxDescriptionLength} characters (Chat:MaxDescriptionLength).");
    }

    /// <summary>Local user ids are GUIDs, stored as tokens carry them (lower-case, hyphenated), however a client wrote them.</summary>
    private static string NormalizeUserId(string userId) => Guid.TryParse(userId, out var id) ? id.ToString() : userId?.Trim() ?? "";

    private static string? Trim(string? value) => NullIfEmpty(value?.Trim());

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record RoomEvent(Guid RoomId, string? Name, string? Topic, string? Description, string By)
    {
        public static RoomEvent Of(Conversation room, string by) => new(room.Id, room.Name, room.Topic, room.Description, by);
    }

    private sealed record MemberEvent(Guid RoomId, string? Name, string UserId, string By);
}
