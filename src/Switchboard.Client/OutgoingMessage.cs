using System.Text;

namespace Switchboard.Client;

/// <summary>
/// A message to publish. Create it with <see cref="FromString"/> (sent as UTF-8 text) or <see cref="FromBytes"/>
/// (sent base64-encoded and stored as the exact bytes), then set the optional members with <c>with</c> or an initializer.
/// </summary>
public sealed record OutgoingMessage
{
    private OutgoingMessage(string body, string bodyEncoding)
    {
        Body = body;
        BodyEncoding = bodyEncoding;
    }

    /// <summary>The body as it goes on the wire: the text itself, or base64 when <see cref="BodyEncoding"/> is <c>base64</c>.</summary>
    public string Body { get; }

    /// <summary><c>utf8</c> or <c>base64</c>.</summary>
    public string BodyEncoding { get; }

    /// <summary>Application headers (at most 64), delivered with the message.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Seconds before the message becomes available; null for at once.</summary>
    public int? DelaySeconds { get; init; }

    /// <summary>Seconds after which an unconsumed message is dropped; null to keep it.</summary>
    public int? TtlSeconds { get; init; }

    /// <summary>0 (lowest, the default) to 9 (highest).</summary>
    public int? Priority { get; init; }

    /// <summary>For <c>fifo-by-group</c> queues: messages with the same key are delivered in order.</summary>
    public string? GroupKey { get; init; }

    /// <summary>A key that makes a repeated publish within the queue's dedup window a no-op.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>A message whose body is text, sent as UTF-8.</summary>
    /// <param name="body">The text.</param>
    public static OutgoingMessage FromString(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new OutgoingMessage(body, "utf8");
    }

    /// <summary>A message whose body is arbitrary bytes, sent base64-encoded.</summary>
    /// <param name="body">The bytes.</param>
    public static OutgoingMessage FromBytes(ReadOnlySpan<byte> body) => new(Convert.ToBase64String(body), "base64");

    /// <summary>The body as bytes.</summary>
    public byte[] GetBodyBytes() => BodyEncoding == "base64" ? Convert.FromBase64String(Body) : Encoding.UTF8.GetBytes(Body);
}
