using System.Text.Json;
using Switchboard.Broker;

namespace Switchboard.Channels;

/// <summary>What <c>$sys.delivery.dlq</c> holds for a delivery whose route is exhausted: the delivery and every attempt.</summary>
public sealed record DeadLetter(
    Guid DeliveryId,
    Guid? NotificationId,
    Guid? ConversationId,
    Guid? MessageId,
    IReadOnlyList<string> Route,
    string? ErrorCode,
    string? ErrorMessage,
    IReadOnlyList<DeliveryAttempt> Attempts)
{
    public OutgoingMessage ToMessage(int priority, string idempotencyKey) => new(JsonSerializer.SerializeToUtf8Bytes(this, DeliveryTicket.Json))
    {
        Encoding = BodyEncoding.Utf8,
        Priority = priority,
        IdempotencyKey = idempotencyKey,
        Headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DeliveryTicket.KindHeader] = DeliveryTicket.DeadLetterKind,
            [DeliveryTicket.DeliveryIdHeader] = DeliveryId.ToString(),
        },
    };

    public static DeadLetter? From(BrokerMessage message) =>
        message.Headers.TryGetValue(DeliveryTicket.KindHeader, out var kind) && kind == DeliveryTicket.DeadLetterKind
            ? JsonSerializer.Deserialize<DeadLetter>(message.Body.Span, DeliveryTicket.Json)
            : null;
}
