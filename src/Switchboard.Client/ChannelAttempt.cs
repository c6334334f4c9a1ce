namespace Switchboard.Client;

/// <summary>One call to a provider.</summary>
/// <param name="Channel">The instance called.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Outcome">sent, retryable, rejected, circuit_open or skipped.</param>
/// <param name="LatencyMs">How long the call took.</param>
/// <param name="StatusCode">The provider's HTTP (or SMTP) status, when it answered.</param>
/// <param name="ErrorCode">The error code, when it failed.</param>
/// <param name="ErrorMessage">The error message, when it failed.</param>
public sealed record ChannelAttempt(string Channel, DateTimeOffset At, string Outcome, long LatencyMs, int? StatusCode, string? ErrorCode, string? ErrorMessage);
