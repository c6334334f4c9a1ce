namespace Switchboard.Channels;

/// <summary>One call to a provider (or one decision not to call it) for a delivery.</summary>
/// <param name="Outcome"><c>sent</c>, <c>retryable</c> (a timeout, 429 or 5xx), <c>rejected</c> (permanent),
/// <c>circuit_open</c> or <c>skipped</c> (disabled instance, no address).</param>
public sealed record DeliveryAttempt(
    Guid DeliveryId,
    string Channel,
    DateTimeOffset At,
    string Outcome,
    long LatencyMs,
    int? StatusCode,
    string? ErrorCode,
    string? ErrorMessage)
{
    public const string Sent = "sent";
    public const string Retryable = "retryable";
    public const string Rejected = "rejected";
    public const string CircuitOpen = "circuit_open";
    public const string Skipped = "skipped";

    public bool Succeeded => Outcome == Sent;
}
