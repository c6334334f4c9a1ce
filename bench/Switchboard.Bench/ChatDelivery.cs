namespace Switchboard.Bench;

/// The fields of a chat message (event MessageReceived, or SendMessage's answer) the benchmark needs; the rest are
/// skipped. Public for the MessagePack serializer, which maps properties by name.
public sealed class ChatDelivery
{
    public string Text { get; init; } = "";
}
