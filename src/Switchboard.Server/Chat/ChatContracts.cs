using Switchboard.Chat;
using Switchboard.Errors;
using Switchboard.Server.Presence;

namespace Switchboard.Server.Chat;

/// <summary>The REST-only JSON shapes of chat; what REST and the hub share are the <c>…View</c> classes.</summary>
internal static class ChatContracts
{
    /// <param name="Kind"><c>private</c>, <c>group</c> or <c>room</c>.</param>
    /// <param name="Members">The other members besides the caller, each by user id or by username.</param>
    public sealed record CreateConversationRequest(string? Kind, string? Name, string? Topic, string? Description, string[]? Members)
    {
        public CreateConversation ToInput() => new(ParseKind(Kind), Members, Name, Topic, Description);
    }

    /// <summary>One entry of the user directory (<c>GET /v1/users?q=</c>).</summary>
    public sealed record DirectoryUserResponse(Guid Id, string Username, string? DisplayName, PresenceView Presence);

    public sealed record UpdateConversationRequest(string? Name, string? Topic, string? Description)
    {
        public UpdateConversation ToInput() => new(Name, Topic, Description);
    }

    /// <param name="Role"><c>member</c> (default) or <c>admin</c>.</param>
    public sealed record AddMemberRequest(string? UserId, string? Role)
    {
        public MemberRole? ParseRole() => Role switch
        {
            null => null,
            "member" => MemberRole.Member,
            "admin" => MemberRole.Admin,
            "owner" => MemberRole.Owner,
            _ => throw SwitchboardException.Validation("role", "role must be 'member', 'admin' or 'owner'."),
        };
    }

    public sealed record EditMessageRequest(string? Text);

    public sealed record ReactionRequest(string? Emoji);

    /// <param name="ReadSeq">Everything up to this seq is read (implies delivered).</param>
    /// <param name="DeliveredSeq">Everything up to this seq reached one of the caller's devices.</param>
    public sealed record ReadRequest(long? ReadSeq, long? DeliveredSeq);

    public sealed record ConversationSummaryResponse(ConversationView Conversation, string Role, ChatMessageView? LastMessage, long Unread)
    {
        public static ConversationSummaryResponse From(ConversationSummary summary, IReadOnlyDictionary<string, string> senderUsernames) => new(
            ConversationView.From(summary.Conversation), ChatNames.Role(summary.Role),
            summary.Last is null ? null : ChatMessageView.From(summary.Last, senderUsernames), summary.Unread);
    }

    public sealed record MemberListResponse(IReadOnlyList<MemberView> Items);

    /// <summary>A page of history in seq order; page further with <c>before</c> = the first item's seq (older) or <c>after</c> = the last's (newer).</summary>
    public sealed record MessageListResponse(IReadOnlyList<ChatMessageView> Items);

    private static ConversationKind ParseKind(string? kind) => kind switch
    {
        "private" => ConversationKind.Private,
        "group" => ConversationKind.Group,
        "room" => ConversationKind.Room,
        _ => throw SwitchboardException.Validation("kind", "kind must be 'private', 'group' or 'room'."),
    };
}
