using Switchboard.Broker;

namespace Switchboard.Server.Broker;

/// <summary>A message published through <see cref="BrokerHub"/>. The body is raw bytes (binary in MessagePack, base64 in JSON).</summary>
public sealed class BrokerHubPublishMessage
{
    public byte[]? Body { get; init; }

    /// <summary>
    /// How REST consumers should show the body: <c>utf8</c> (then it must be valid UTF-8, or the call fails with
    /// <c>invalid_body_encoding</c>) or <c>base64</c>; left out, valid UTF-8 is <c>utf8</c> and anything else <c>base64</c>.
    /// </summary>
    public string? BodyEncoding { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    public int? DelaySeconds { get; init; }

    public int? TtlSeconds { get; init; }

    public int? Priority { get; init; }

    public string? GroupKey { get; init; }

    public string? IdempotencyKey { get; init; }

    internal WireMessage ToWire() => new(null, Body, BodyEncoding, Headers, DelaySeconds, TtlSeconds, Priority, GroupKey, IdempotencyKey);
}
