namespace Switchboard.Bench;

/// The chat hub's SendMessage input, by name; public for the serializer.
public sealed class ChatSend
{
    public string? ClientMessageId { get; init; }

    public string? Text { get; init; }
}
