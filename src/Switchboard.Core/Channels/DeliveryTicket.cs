using System.Text.Json;
using Switchboard.Broker;

namespace Switchboard.Channels;

/// <summary>
/// The body of a delivery job this feature publishes: which delivery, at which hop of its route. Everything else is in
/// the delivery store, so a job is small and a replay needs nothing but the id. Chat publishes <see cref="DeliveryJob"/>
/// bodies instead, told apart by the <c>kind</c> header.
/// </summary>
public sealed record DeliveryTicket(Guid DeliveryId, int Hop)
{
    public const string KindHeader = "kind";
    public const string Kind = "delivery";
    public const string DeadLetterKind = "dead-letter";
    public const string DeliveryIdHeader = "deliveryId";
    public const string DeadLetterQueue = DeliveryJob.QueuePrefix + "dlq";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Critical overtakes warning overtakes info in every delivery queue.</summary>
    public static int PriorityFor(string severity) => severity switch
    {
        "critical" => 9,
        "warning" => 5,
        _ => 1,
    };

    public OutgoingMessage ToMessage(int priority, string idempotencyKey) => new(JsonSerializer.SerializeToUtf8Bytes(this, Json))
    {
        Encoding = BodyEncoding.Utf8,
        Priority = priority,
        IdempotencyKey = idempotencyKey,
        Headers = new Dictionary<string, string>(StringComparer.Ordinal) { [KindHeader] = Kind, [DeliveryIdHeader] = DeliveryId.ToString() },
    };

    public static DeliveryTicket? From(BrokerMessage message) =>
        message.Headers.TryGetValue(KindHeader, out var kind) && kind == Kind
            ? JsonSerializer.Deserialize<DeliveryTicket>(message.Body.Span, Json)
            : null;
}
