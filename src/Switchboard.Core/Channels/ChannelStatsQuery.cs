namespace Switchboard.Channels;

/// <summary>Sent, failed, success rate and latency percentiles per instance, from the recorded attempts of the last day.</summary>
public sealed class ChannelStatsQuery(IDeliveryStore store, ChannelRegistry registry, ChannelResilience resilience, TimeProvider time)
{
    private const int MaxSamples = 100_000;

    public async Task<IReadOnlyList<ChannelStats>> GetAsync(CancellationToken cancellationToken)
    {
        var samples = await store.ListAttemptSamplesAsync(time.GetUtcNow().AddDays(-1), MaxSamples, cancellationToken).ConfigureAwait(false);
        var byChannel = samples.ToLookup(s => s.Channel, StringComparer.Ordinal);
        return registry.Names.Select(name =>
        {
            var calls = byChannel[name].Where(s => s.Succeeded || s.LatencyMs > 0).ToArray();
            var sent = calls.LongCount(s => s.Succeeded);
            var failed = byChannel[name].LongCount(s => !s.Succeeded);
            var latencies = calls.Select(s => s.LatencyMs).Order().ToArray();
            registry.TryGet(name, out var options);
            return new ChannelStats(name, options?.Type, registry.IsEnabled(name), resilience.CircuitState(name), sent, failed,
                sent + failed == 0 ? null : Math.Round((double)sent / (sent + failed), 4),
                Percentile(latencies, 0.50), Percentile(latencies, 0.95));
        }).ToArray();
    }

    private static long? Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
