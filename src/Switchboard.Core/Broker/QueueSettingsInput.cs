namespace Switchboard.Broker;

/// <summary>
/// Queue settings as a caller sends them: null keeps the current value (or the default on create).
/// <c>0</c> clears <see cref="RetentionSeconds"/> and <see cref="MaxLength"/>; an empty <see cref="DeadLetterQueue"/> means none.
/// </summary>
public sealed record QueueSettingsInput
{
    public int? LeaseSeconds { get; init; }

    public int? MaxDeliveries { get; init; }

    public string? DeadLetterQueue { get; init; }

    public int? RetentionSeconds { get; init; }

    public int? MaxLength { get; init; }

    public int? DedupWindowSeconds { get; init; }

    public QueueOrdering? Ordering { get; init; }
}
