using Switchboard.Broker;
using Switchboard.Operations;

namespace Switchboard.Server.WebConsole.Live;

/// <summary>
/// One sampler shared by every open console: while at least one page watches, it samples this node's broker rates
/// and process figures every <see cref="Interval"/> and tells the watchers, which then refresh themselves. Nothing
/// runs when no console is open, and no page refreshes faster than this.
/// </summary>
public sealed partial class ConsoleFeed(BrokerActivity activity, TimeProvider time, ILogger<ConsoleFeed> logger) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Five minutes of samples at <see cref="Interval"/>.</summary>
    public const int Capacity = 150;

    private readonly Lock _gate = new();
    private readonly List<Func<Task>> _watchers = [];
    private readonly Queue<OverviewSample> _history = new();
    private CancellationTokenSource? _running;

    public IReadOnlyList<OverviewSample> History
    {
        get
        {
            lock (_gate)
            {
                return _history.ToArray();
            }
        }
    }

    /// <summary>Calls <paramref name="onTick"/> after each sample until the returned handle is disposed.</summary>
    public IDisposable Watch(Func<Task> onTick)
    {
        lock (_gate)
        {
            _watchers.Add(onTick);
            if (_running is null)
            {
                _running = new CancellationTokenSource();
                _ = RunAsync(_running.Token);
            }
        }
        return new Watcher(this, onTick);
    }

    private void Unwatch(Func<Task> onTick)
    {
        lock (_gate)
        {
            _watchers.Remove(onTick);
            if (_watchers.Count == 0 && _running is not null)
            {
                _running.Cancel();
                _running.Dispose();
                _running = null;
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        Sample();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Sample();
                Func<Task>[] watchers;
                lock (_gate)
                {
                    watchers = [.. _watchers];
                }
                // Every page refreshes at once; a slow one delays only itself.
                await Task.WhenAll(watchers.Select(NotifyAsync));
            }
        }
        catch (OperationCanceledException)
        {
            // The last watcher left.
        }
    }

    private async Task NotifyAsync(Func<Task> watcher)
    {
        try
        {
            await watcher();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // One closed or failing page must not stop the others' updates.
            LogWatcherFailed(logger, exception);
        }
    }

    private void Sample()
    {
        var rates = activity.Rates();
        var process = activity.Process;
        lock (_gate)
        {
            _history.Enqueue(new OverviewSample(time.GetUtcNow(), rates.Published, rates.Delivered, rates.Acked, process.CpuPercent, process.WorkingSetBytes));
            while (_history.Count > Capacity)
            {
                _history.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _running?.Cancel();
            _running?.Dispose();
            _running = null;
        }
    }

    [LoggerMessage(EventId = EventIds.Console.RefreshFailed, Level = LogLevel.Debug, Message = "A console page failed to refresh")]
    private static partial void LogWatcherFailed(ILogger logger, Exception exception);

    private sealed class Watcher(ConsoleFeed feed, Func<Task> onTick) : IDisposable
    {
        public void Dispose() => feed.Unwatch(onTick);
    }
}
