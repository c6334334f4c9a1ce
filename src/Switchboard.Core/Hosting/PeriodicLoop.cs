using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Operations;

namespace Switchboard.Hosting;

/// <summary>
/// The one shape of a periodic background job (sweeps, samples, heartbeats): one iteration at a time on a
/// <see cref="PeriodicTimer"/> driven by <see cref="TimeProvider"/>, so tests can move time. A failed iteration is
/// logged and never stops the loop; after consecutive failures the next try waits longer (doubling, up to
/// <see cref="MaxBackOff"/>), so a storage outage is not hammered and the log is not flooded.
/// </summary>
/// <remarks>
/// Services the iteration needs from the storage engine are resolved inside <see cref="RunOnceAsync"/>, not in the
/// constructor: hosted services are built before the engine has opened its database.
/// </remarks>
public abstract partial class PeriodicLoop(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The longest wait after repeated failures.</summary>
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);

    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    /// <summary>How often the loop runs; read once, when it starts.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>True to run once as soon as the host starts, before the first interval has passed.</summary>
    protected virtual bool RunAtStart => false;

    /// <summary>What the loop does, in words for the log ("sweep expired uploads").</summary>
    protected abstract string Name { get; }

    /// <summary>Consecutive failed iterations; 0 after a success.</summary>
    public int Failures { get; private set; }

    /// <summary>One iteration. An exception is logged and counted; cancellation on shutdown ends the loop.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Runs once after the loop has stopped (for example to store counts that would die with the process).</summary>
    protected virtual Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var nextTry = DateTimeOffset.MinValue;
        try
        {
            if (RunAtStart)
            {
                nextTry = await IterateAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (time.GetUtcNow() >= nextTry)
                {
                    nextTry = await IterateAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        try
        {
            await StoppedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, Name, 1, TimeSpan.Zero);
        }
    }

    /// <summary>Runs one iteration; returns when the next may run (now after a success, later after failures).</summary>
    private async Task<DateTimeOffset> IterateAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            Failures = 0;
            return DateTimeOffset.MinValue;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Failures++;
            var wait = BackOff(Interval, Failures);
            LogFailed(logger, ex, Name, Failures, wait);
            return time.GetUtcNow() + wait;
        }
    }

    /// <summary>No extra wait after the first failure (the next tick retries), then doubling up to <see cref="MaxBackOff"/>.</summary>
    public static TimeSpan BackOff(TimeSpan interval, int failures)
    {
        if (failures <= 1)
        {
            return TimeSpan.Zero;
        }
        var ticks = interval.Ticks * Math.Pow(2, Math.Min(failures - 1, 30));
        return ticks >= MaxBackOff.Ticks ? MaxBackOff : TimeSpan.FromTicks((long)ticks);
    }

    [LoggerMessage(EventId = EventIds.Hosting.PeriodicLoopFailed, Level = LogLevel.Warning,
        Message = "{Loop} failed ({Failures} in a row); the next try waits {Wait} beyond its interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string loop, int failures, TimeSpan wait);
}
