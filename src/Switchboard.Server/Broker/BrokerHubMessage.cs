using Switchboard.Broker;

namespace Switchboard.Server.Broker;

/// <summary>A leased message pushed to a consumer of <see cref="BrokerHub"/>; settle it with its <see cref="Lease"/>.</summary>
public sealed class BrokerHubMessage
{
    public Guid Id { get; init; }

    public byte[] Body { get; init; } = [];

    /// <summary><c>utf8</c> or <c>base64</c>: how JSON readers (REST, GraphQL) are shown the body; the bytes are the same.</summary>
    public string BodyEncoding { get; init; } = "utf8";

    public Dictionary<string, string> Headers { get; init; } = [];

    public int DeliveryCount { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }

    public int Priority { get; init; }

    public string? GroupKey { get; init; }

    public string Lease { get; init; } = "";

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    internal static BrokerHubMessage From(BrokerMessage message) => new()
    {
        Id = message.Id,
        Body = message.Body.ToArray(),
        BodyEncoding = BodyCodec.Label(BodyCodec.Shown(message.Body.Span, message.Encoding)),
        Headers = new Dictionary<string, string>(message.Headers, StringComparer.Ordinal),
        DeliveryCount = message.DeliveryCount,
        EnqueuedAt = message.EnqueuedAt,
        Priority = message.Priority,
        GroupKey = message.GroupKey,
        Lease = message.Lease ?? "",
        LeaseExpiresAt = message.LeaseExpiresAt,
    };
}
