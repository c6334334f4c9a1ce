namespace Switchboard.Server.Broker;

/// <summary>A message published through <see cref="BrokerHub"/>. The body is raw bytes (binary in MessagePack, base64 in JSON).</summary>
public sealed class BrokerHubPublishMessage
{
    public byte[]? Body { get; init; }

    /// <summary>How REST consumers should show the body: <c>utf8</c> (default) or <c>base64</c>.</summary>
    public string? BodyEncoding { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    public int? DelaySeconds { get; init; }

    public int? TtlSeconds { get; init; }

    public int? Priority { get; init; }

    public string? GroupKey { get; init; }

    public string? IdempotencyKey { get; init; }
}
