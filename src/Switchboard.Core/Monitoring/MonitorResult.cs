namespace Switchboard.Monitoring;

/// <summary>One check of one monitor.</summary>
/// <param name="Errored">No answer at all, or a server error (5xx): what the error-rate signal counts.</param>
public sealed record MonitorResult(string MonitorId, DateTimeOffset At, bool Up, double LatencyMs, int? StatusCode, string? Error, bool Errored);
