namespace Switchboard.Server.Chat;

/// <summary><c>RoomUpdated</c>: the conversation after a rename or a change of topic or description, or its deletion.</summary>
public sealed class RoomUpdatedView
{
    public ConversationView Conversation { get; init; } = new();

    public bool Deleted { get; init; }
}
