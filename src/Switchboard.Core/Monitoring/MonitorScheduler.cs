using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Monitoring;

/// <summary>
/// Runs every enabled monitor at its interval from one loop: a priority queue of due times, one wait for the earliest,
/// never a timer per monitor. Due probes start as tasks bounded by <c>Monitoring:MaxConcurrentProbes</c>, each under its
/// own timeout, so a hung target costs one timeout and blocks nothing. Results are written in batches by one writer,
/// which also owns each monitor's state (up, down, failures in a row).
/// </summary>
public sealed class MonitorScheduler(
    IMonitoringStore store,
    IEnumerable<IMonitorProbe> probes,
    IOptionsMonitor<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitorScheduler> logger)
{
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, IMonitorProbe> _probes = probes.ToDictionary(p => p.Kind, StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Tells the loop that monitors changed, so it reloads them now rather than within <see cref="ReloadInterval"/>.</summary>
    public void Changed() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var results = Channel.CreateBounded<(MonitorResult Result, int Retries)>(new BoundedChannelOptions(10_000) { SingleReader = true });
        var writer = WriteAsync(results.Reader, cancellationToken);
        try
        {
            await ScheduleAsync(results.Writer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            results.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }
    }

    private async Task ScheduleAsync(ChannelWriter<(MonitorResult, int)> results, CancellationToken cancellationToken)
    {
        var slots = new SemaphoreSlim(Math.Max(1, options.CurrentValue.MaxConcurrentProbes));
        var monitors = new Dictionary<string, MonitorSpec>(StringComparer.Ordinal);
        var due = new PriorityQueue<(string Id, DateTimeOffset UpdatedAt), DateTimeOffset>();
        var nextReload = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var now = time.GetUtcNow();
            if (now >= nextReload || changed.IsCompleted)
            {
                await ReloadAsync(monitors, due, now, cancellationToken).ConfigureAwait(false);
                nextReload = now + ReloadInterval;
                changed = Volatile.Read(ref _changed).Task;
            }
            while (due.TryPeek(out var entry, out var at) && at <= now)
            {
                due.Dequeue();
                // An entry for a monitor since deleted or changed is dropped: its replacement has an entry of its own.
                if (!monitors.TryGetValue(entry.Id, out var monitor) || monitor.UpdatedAt != entry.UpdatedAt)
                {
                    continue;
                }
                var next = at + monitor.Interval;
                due.Enqueue(entry, next > now ? next : now + monitor.Interval);
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                _ = ProbeAsync(monitor, results, slots, cancellationToken);
            }
            var wait = (due.TryPeek(out _, out var first) ? first : nextReload) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                var until = wait < nextReload - now ? wait : nextReload - now;
                await Task.WhenAny(changed, Task.Delay(until > TimeSpan.Zero ? until : TimeSpan.FromMilliseconds(1), time, cancellationToken))
                    .ConfigureAwait(false);
            }
        }
    }

    private async Task ReloadAsync(Dictionary<string, MonitorSpec> monitors, PriorityQueue<(string, DateTimeOffset), DateTimeOffset> due,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = (await store.ListMonitorsAsync(cancellationToken).ConfigureAwait(false))
            .Where(m => m.Enabled && _probes.ContainsKey(m.Kind))
            .ToDictionary(m => m.Id, StringComparer.Ordinal);
        foreach (var (id, monitor) in current)
        {
            if (!monitors.TryGetValue(id, out var known) || known.UpdatedAt != monitor.UpdatedAt)
            {
                // New or changed: first check now, spread over a millisecond per monitor so a reload is no burst.
                due.Enqueue((id, monitor.UpdatedAt), now + TimeSpan.FromMilliseconds(Math.Abs(id.GetHashCode()) % Math.Max(1, current.Count)));
            }
        }
        monitors.Clear();
        foreach (var (id, monitor) in current)
        {
            monitors[id] = monitor;
        }
    }

    private async Task ProbeAsync(MonitorSpec monitor, ChannelWriter<(MonitorResult, int)> results, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            var at = time.GetUtcNow();
            var started = Stopwatch.GetTimestamp();
            ProbeOutcome outcome;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(monitor.Timeout);
                try
                {
                    outcome = await _probes[monitor.Kind].CheckAsync(monitor, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    outcome = ProbeOutcome.Failed($"No answer within the timeout of {monitor.TimeoutSeconds} s.");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    MonitoringLog.ProbeThrew(logger, ex, monitor.Id);
                    outcome = ProbeOutcome.Failed($"The probe failed: {ex.Message}");
                }
            }
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await results.WriteAsync((new MonitorResult(monitor.Id, at, outcome.Up, Math.Round(latency, 3), outcome.StatusCode, outcome.Error, outcome.Errored),
                monitor.Retries), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping or no longer leading: the check is abandoned.
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task WriteAsync(ChannelReader<(MonitorResult Result, int Retries)> reader, CancellationToken cancellationToken)
    {
        var states = (await store.ListStatesAsync(CancellationToken.None).ConfigureAwait(false)).ToDictionary(s => s.MonitorId, StringComparer.Ordinal);
        var batch = new List<(MonitorResult, MonitorState)>();
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < 500 && reader.TryRead(out var item))
                {
                    var state = (states.TryGetValue(item.Result.MonitorId, out var known) ? known : MonitorState.Initial(item.Result.MonitorId))
                        .After(item.Result, item.Retries);
                    states[item.Result.MonitorId] = state;
                    batch.Add((item.Result, state));
                }
                try
                {
                    await store.RecordAsync(batch.ToArray(), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // These checks are lost; the next ones are written when the store answers again.
                    MonitoringLog.LoopFailed(logger, ex, "results");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
