using System.Collections.Concurrent;

namespace Switchboard.Gateway.Health;

/// <summary>The recent response times of each destination, for the fallback chain's lowest-p95 choice and the destinations view.</summary>
internal sealed class LatencyTracker
{
    private const int Samples = 128;

    private readonly ConcurrentDictionary<(string Cluster, string Destination), Ring> _rings = new();

    public void Record(string cluster, string destination, TimeSpan duration) =>
        _rings.GetOrAdd((cluster, destination), _ => new Ring()).Add(duration.TotalMilliseconds);

    /// <summary>The 95th percentile of the recent samples in milliseconds, or null before the first.</summary>
    public double? P95(string cluster, string destination) =>
        _rings.TryGetValue((cluster, destination), out var ring) ? ring.P95() : null;

    public void Reset(string cluster)
    {
        foreach (var key in _rings.Keys.Where(k => k.Cluster == cluster))
        {
            _rings.TryRemove(key, out _);
        }
    }

    private sealed class Ring
    {
        private readonly Lock _lock = new();
        private readonly double[] _values = new double[Samples];
        private int _next;
        private int _count;

        public void Add(double value)
        {
            lock (_lock)
            {
                _values[_next] = value;
                _next = (_next + 1) % Samples;
                _count = Math.Min(_count + 1, Samples);
            }
        }

        public double? P95()
        {
            double[] copy;
            lock (_lock)
            {
                if (_count == 0)
                {
                    return null;
                }
                copy = _values[.._count];
            }
            Array.Sort(copy);
            return copy[Math.Min(copy.Length - 1, (int)Math.Ceiling(copy.Length * 0.95) - 1)];
        }
    }
}
