namespace Switchboard.Channels;

/// <summary><c>Channels:Delivery</c>: how workers consume delivery jobs and how hard they retry one provider.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Jobs one instance's workers process at the same time.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Lease on a delivery job; a worker that dies releases it after this long.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Attempts on one provider before the next in the route is tried (first try included).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First retry delay; doubles each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two attempts, also the cap on a provider's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failures (of at least <see cref="BreakerMinimumThroughput"/> calls in <see cref="BreakerSamplingDuration"/>) that open the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before one trial call.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
