namespace Switchboard.Bench;

/// JoinRoom's answer (the conversation); nothing of it is needed. Public for the serializer.
public sealed class ChatJoined
{
    public string Kind { get; init; } = "";
}
