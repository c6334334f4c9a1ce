using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Kv;

/// <summary>
/// The one KV timer: every <see cref="KvOptions.SweepInterval"/> it stores this node's hit and miss counts
/// and removes expired keys. On PostgreSQL every node runs it; the sweep is idempotent, so nodes never
/// count an expiration twice.
/// </summary>
internal sealed partial class KvMaintenance(IServiceProvider services, IOptions<KvOptions> options, TimeProvider time, ILogger<KvMaintenance> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not in the constructor: hosted services are built before the storage engine has
        // started, and a PostgreSQL store can only be created once the engine has opened its database.
        var service = services.GetRequiredService<KvService>();
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunOnceAsync(service, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        // Counts gathered since the last tick would be lost with the process; store them on the way out.
        await RunStepAsync(service.FlushReadCountsAsync, "store hit and miss counts", CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RunOnceAsync(KvService service, CancellationToken cancellationToken)
    {
        await RunStepAsync(service.FlushReadCountsAsync, "store hit and miss counts", cancellationToken).ConfigureAwait(false);
        await RunStepAsync(async ct =>
        {
            var removed = await service.SweepAsync(ct).ConfigureAwait(false);
            if (removed > 0)
            {
                LogSwept(logger, removed);
            }
        }, "remove expired keys", cancellationToken).ConfigureAwait(false);
    }

    private async Task RunStepAsync(Func<CancellationToken, Task> step, string what, CancellationToken cancellationToken)
    {
        try
        {
            await step(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A storage hiccup must not stop the timer; the next tick retries.
            LogStepFailed(logger, ex, what);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Removed {Count} expired KV keys")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "KV maintenance could not {What}; it retries on the next tick")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string what);
}
