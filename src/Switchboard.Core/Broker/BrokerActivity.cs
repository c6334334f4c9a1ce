using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Hosting;

namespace Switchboard.Broker;

/// <summary>
/// The broker's figures over time on this node: totals since start, per-second rates over the last minute,
/// process CPU and memory, and a cached copy of every queue's stats that backs the per-queue gauges
/// (so a Prometheus scrape never costs storage I/O). Samples every few seconds.
/// </summary>
public sealed class BrokerActivity : PeriodicLoop
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly IServiceProvider _services;
    private readonly BrokerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly DateTimeOffset _startedAt;
    private readonly Lock _gate = new();
    private readonly Queue<Sample> _samples = new();
    private IReadOnlyList<QueueStats> _queues = [];
    private ProcessFigures _process = new(0, 0, 0, 0);
    private (TimeSpan Cpu, long Tick) _lastCpu;

    /// <param name="services">
    /// Resolves <see cref="BrokerService"/> only when sampling starts: every hosted service is constructed before any
    /// starts, and on PostgreSQL the broker store needs the database that start-up opens.
    /// </param>
    public BrokerActivity(IServiceProvider services, BrokerMetrics metrics, TimeProvider time, ILogger<BrokerActivity> logger, TimeSpan? interval = null)
        : base(time, logger)
    {
        _services = services;
        _metrics = metrics;
        _time = time;
        _interval = interval ?? TimeSpan.FromSeconds(5);
        _startedAt = time.GetUtcNow();
        _samples.Enqueue(new Sample(_startedAt, new Dictionary<string, BrokerCounts>()));
        _lastCpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, Environment.TickCount64);

        var meter = metrics.Meter;
        meter.CreateObservableGauge("switchboard.broker.ready", () => Gauge(s => s.Ready), "{message}", "Messages ready for delivery.");
        meter.CreateObservableGauge("switchboard.broker.in_flight", () => Gauge(s => s.InFlight), "{message}", "Messages leased and not yet settled.");
        meter.CreateObservableGauge("switchboard.broker.delayed", () => Gauge(s => s.Delayed), "{message}", "Messages waiting for their delay to pass.");
        meter.CreateObservableGauge("switchboard.broker.dead_letter_depth", () => Gauge(s => s.DeadLetterDepth), "{message}", "Messages in the queue's dead-letter queue.");
        meter.CreateObservableGauge("switchboard.broker.oldest_age", () => _queues.Where(s => s.OldestAgeSeconds is not null)
            .Select(s => new Measurement<double>(s.OldestAgeSeconds!.Value, new KeyValuePair<string, object?>("queue", s.Name))), "s", "Age of the oldest message held.");
    }

    public TimeSpan Uptime => _time.GetUtcNow() - _startedAt;

    public ProcessFigures Process => _process;

    /// <summary>Totals since this node started, for one queue or (null) all of them.</summary>
    public BrokerCounts Totals(string? queue = null) => Sum(_metrics.SnapshotTotals(), queue);

    /// <summary>Events per second over the last minute (or since start, when younger), for one queue or all.</summary>
    public BrokerCounts Rates(string? queue = null)
    {
        Sample oldest;
        lock (_gate)
        {
            oldest = _samples.Peek();
        }
        var seconds = (_time.GetUtcNow() - oldest.At).TotalSeconds;
        return Totals(queue).RateSince(Sum(oldest.Totals, queue), seconds);
    }

    protected override TimeSpan Interval => _interval;

    protected override bool RunAtStart => true;

    protected override string Name => "Sampling broker activity";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SampleAsync(cancellationToken);

    internal async Task SampleAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _samples.Enqueue(new Sample(now, _metrics.SnapshotTotals()));
            // Keep one sample at or beyond the window's start, so rates always cover a full minute once there is one.
            while (_samples.Count > 1 && now - _samples.ElementAt(1).At >= Window)
            {
                _samples.Dequeue();
            }
        }
        SampleProcess();
        var broker = _services.GetRequiredService<BrokerService>();
        var queues = await broker.ListQueuesAsync(BrokerService.System, cancellationToken).ConfigureAwait(false);
        _queues = queues.Select(q => q.Stats).ToArray();
    }

    private void SampleProcess()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var tick = Environment.TickCount64;
        var elapsed = TimeSpan.FromMilliseconds(tick - _lastCpu.Tick);
        var percent = elapsed > TimeSpan.Zero ? (cpu - _lastCpu.Cpu) / elapsed / Environment.ProcessorCount * 100 : 0;
        _lastCpu = (cpu, tick);
        _process = new ProcessFigures(Math.Round(percent, 1), process.WorkingSet64, GC.GetTotalMemory(false), process.Threads.Count);
    }

    private IEnumerable<Measurement<long>> Gauge(Func<QueueStats, long> value) =>
        _queues.Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("queue", s.Name)));

    private static BrokerCounts Sum(IReadOnlyDictionary<string, BrokerCounts> totals, string? queue)
    {
        if (queue is not null)
        {
            return totals.GetValueOrDefault(queue) ?? BrokerCounts.Zero;
        }
        var sum = BrokerCounts.Zero;
        foreach (var counts in totals.Values)
        {
            sum = sum.Plus(counts);
        }
        return sum;
    }

    private sealed record Sample(DateTimeOffset At, IReadOnlyDictionary<string, BrokerCounts> Totals);
}

/// <summary>The server process: CPU over the last sample interval (percent of all cores), memory and threads.</summary>
public sealed record ProcessFigures(double CpuPercent, long WorkingSetBytes, long GcHeapBytes, int Threads);
