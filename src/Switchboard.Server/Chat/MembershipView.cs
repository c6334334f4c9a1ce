namespace Switchboard.Server.Chat;

/// <summary><c>UserJoined</c> and <c>UserLeft</c>: who joined or left which conversation.</summary>
public sealed class MembershipView
{
    public Guid ConversationId { get; init; }

    public string UserId { get; init; } = "";
}
