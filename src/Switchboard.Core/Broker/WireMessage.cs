using Switchboard.Errors;

namespace Switchboard.Broker;

/// <summary>
/// One message to publish as a transport received it, before any check: REST and GraphQL carry the body as a JSON
/// string (<see cref="Text"/>), the hub as bytes (<see cref="Bytes"/>). <see cref="ToOutgoing(IReadOnlyList{WireMessage?}?)"/>
/// is the one mapping to <see cref="OutgoingMessage"/>; the limits (batch size, body size, ranges) are
/// <see cref="BrokerService"/>'s, checked when it publishes.
/// </summary>
/// <param name="Text">The body as a JSON string: text, or base64 when labelled so.</param>
/// <param name="Bytes">The body as bytes, when the transport carries bytes (the hub).</param>
/// <param name="BodyEncoding"><c>utf8</c>, <c>base64</c> or null; <see cref="BodyCodec"/> says what each means for each body form.</param>
public sealed record WireMessage(
    string? Text,
    byte[]? Bytes,
    string? BodyEncoding,
    IReadOnlyDictionary<string, string>? Headers,
    int? DelaySeconds,
    int? TtlSeconds,
    int? Priority,
    string? GroupKey,
    string? IdempotencyKey)
{
    /// <summary>Maps a batch; a batch of one reports its fields without the <c>messages[i].</c> prefix, as the service does.</summary>
    public static OutgoingMessage[] ToOutgoing(IReadOnlyList<WireMessage?>? messages)
    {
        if (messages is null || messages.Count == 0)
        {
            throw SwitchboardException.Validation("messages", "Send at least one message.");
        }
        var outgoing = new OutgoingMessage[messages.Count];
        for (var i = 0; i < outgoing.Length; i++)
        {
            var field = messages.Count == 1 ? "" : $"messages[{i}].";
            outgoing[i] = (messages[i] ?? throw SwitchboardException.Validation($"messages[{i}]", "A message must be an object.")).ToOutgoing(field);
        }
        return outgoing;
    }

    /// <param name="field">The prefix of this message's fields in errors, e.g. <c>messages[2].</c>.</param>
    public OutgoingMessage ToOutgoing(string field = "")
    {
        var bodyField = field + "body";
        var (body, encoding) = (Text, Bytes) switch
        {
            ({ } text, _) => BodyCodec.FromText(text, BodyEncoding, bodyField),
            (null, { } bytes) => (bytes, BodyCodec.FromBytes(bytes, BodyEncoding, bodyField)),
            _ => throw SwitchboardException.Validation(bodyField, "body is required (a string; use bodyEncoding 'base64' for binary data)."),
        };
        return new OutgoingMessage(body)
        {
            Encoding = encoding,
            Headers = Headers,
            Delay = TimeSpan.FromSeconds(DelaySeconds ?? 0),
            TimeToLive = TtlSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : null,
            Priority = Priority ?? 0,
            GroupKey = GroupKey,
            IdempotencyKey = IdempotencyKey,
        };
    }
}
