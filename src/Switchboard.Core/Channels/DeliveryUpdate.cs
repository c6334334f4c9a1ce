namespace Switchboard.Channels;

/// <summary>
/// What a worker learned about a delivery: its attempts (always appended), a new status (applied only if it moves the
/// delivery forward), the hop it moved to, and the provider's id once sent.
/// </summary>
public sealed record DeliveryUpdate(
    Guid Id,
    DateTimeOffset At,
    IReadOnlyList<DeliveryAttempt> Attempts,
    string? Status = null,
    int? Hop = null,
    string? ProviderId = null,
    string? ErrorCode = null,
    string? ErrorMessage = null);
