namespace Switchboard.Chat;

/// <summary>
/// Who hears about a change of one conversation. Private and group conversations reach every member's connections
/// (<see cref="Members"/>); a room reaches the connections that joined it (<see cref="Members"/> is empty).
/// </summary>
public sealed record ChatAudience(Guid ConversationId, ConversationKind Kind, IReadOnlyList<string> Members)
{
    public bool IsRoom => Kind == ConversationKind.Room;
}
