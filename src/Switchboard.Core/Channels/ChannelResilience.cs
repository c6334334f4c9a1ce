using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Switchboard.Channels;

/// <summary>
/// One Polly pipeline per channel instance, outermost first: retry (exponential backoff with jitter, honouring a
/// provider's Retry-After), circuit breaker, send-rate limiter, per-attempt timeout. Only retryable failures are
/// retried or counted by the breaker; a 400 or 401 is neither. Rebuilt when configuration changes.
/// </summary>
public sealed class ChannelResilience : IDisposable
{
    private readonly ConcurrentDictionary<string, InstancePipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<ChannelOptions> _options;
    private readonly IDisposable? _subscription;

    public ChannelResilience(IOptionsMonitor<ChannelOptions> options)
    {
        _options = options;
        _subscription = options.OnChange(_ => Clear());
    }

    public ResiliencePipeline PipelineFor(string instance) => Get(instance).Pipeline;

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    public string CircuitState(string instance) => _pipelines.TryGetValue(instance, out var pipeline)
        ? pipeline.Circuit.CircuitState switch
        {
            Polly.CircuitBreaker.CircuitState.Open => "open",
            Polly.CircuitBreaker.CircuitState.HalfOpen => "half-open",
            Polly.CircuitBreaker.CircuitState.Isolated => "isolated",
            _ => "closed",
        }
        : "closed";

    public static bool IsRetryable(Exception exception) => exception switch
    {
        ProviderException provider => provider.Retryable,
        TimeoutRejectedException or RateLimiterRejectedException => true,
        _ => false,
    };

    private InstancePipeline Get(string instance) => _pipelines.GetOrAdd(instance, Build);

    private InstancePipeline Build(string name)
    {
        var options = _options.CurrentValue;
        var delivery = options.Delivery;
        var instance = options.Instances.TryGetValue(name, out var found) ? found : new ChannelInstanceOptions();
        var circuit = new CircuitBreakerStateProvider();
        var handled = new PredicateBuilder().Handle<Exception>(IsRetryable);
        var builder = new ResiliencePipelineBuilder();
        if (delivery.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = delivery.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = delivery.RetryBaseDelay,
                MaxDelay = delivery.RetryMaxDelay,
                ShouldHandle = handled,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    ProviderException { RetryAfter: { } wait } => (TimeSpan?)(wait < delivery.RetryMaxDelay ? wait : delivery.RetryMaxDelay),
                    RateLimiterRejectedException { RetryAfter: { } wait } => wait,
                    _ => null,
                }),
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = delivery.BreakerFailureRatio,
            MinimumThroughput = delivery.BreakerMinimumThroughput,
            SamplingDuration = delivery.BreakerSamplingDuration,
            BreakDuration = delivery.BreakerBreakDuration,
            ShouldHandle = handled,
            StateProvider = circuit,
        });
        RateLimiter? limiter = null;
        if (instance.RatePerSecond > 0)
        {
            limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, (int)Math.Ceiling(instance.RatePerSecond)),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / instance.RatePerSecond),
                QueueLimit = 100_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            builder.AddRateLimiter(limiter);
        }
        builder.AddTimeout(instance.Timeout);
        return new InstancePipeline(builder.Build(), circuit, limiter);
    }

    private void Clear()
    {
        foreach (var name in _pipelines.Keys)
        {
            if (_pipelines.TryRemove(name, out var pipeline))
            {
                pipeline.Limiter?.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        Clear();
    }

    private sealed record InstancePipeline(ResiliencePipeline Pipeline, CircuitBreakerStateProvider Circuit, RateLimiter? Limiter);
}
