using System.Diagnostics;

namespace Switchboard.Bench;

/// Latency samples in Stopwatch ticks from any thread; percentiles from the sorted samples (at most a few hundred
/// thousand per run, so sorting is cheap and exact).
internal sealed class Latencies
{
    private readonly List<long> _samples = [];

    public int Count
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(long ticks)
    {
        lock (_samples)
        {
            _samples.Add(ticks);
        }
    }

    public void AddRange(IEnumerable<long> ticks)
    {
        lock (_samples)
        {
            _samples.AddRange(ticks);
        }
    }

    /// The value at or below which <paramref name="fraction"/> of the samples lie, in milliseconds (nearest rank).
    public double? Percentile(double fraction)
    {
        long[] sorted;
        lock (_samples)
        {
            if (_samples.Count == 0)
            {
                return null;
            }
            _samples.Sort();
            sorted = [.. _samples];
        }
        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
