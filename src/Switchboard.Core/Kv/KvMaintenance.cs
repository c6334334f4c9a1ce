using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Operations;

namespace Switchboard.Kv;

/// <summary>
/// The one KV timer: every <see cref="KvOptions.SweepInterval"/> it stores this node's hit and miss counts
/// and removes expired keys. On PostgreSQL every node runs it; the sweep is idempotent, so nodes never
/// count an expiration twice.
/// </summary>
internal sealed partial class KvMaintenance(IServiceProvider services, IOptions<KvOptions> options, TimeProvider time, ILogger<KvMaintenance> logger)
    : PeriodicLoop(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Name => "KV maintenance";

    private KvService Service => services.GetRequiredService<KvService>();

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // The counts are stored even when the sweep then fails, and the other way round.
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var removed = await Service.SweepAsync(cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            LogSwept(Logger, removed);
        }
    }

    // Counts gathered since the last tick would be lost with the process; store them on the way out.
    protected override Task StoppedAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Service.FlushReadCountsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFlushFailed(Logger, ex);
        }
    }

    [LoggerMessage(EventId = EventIds.Kv.ExpiredKeysRemoved, Level = LogLevel.Debug, Message = "Removed {Count} expired KV keys")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.Kv.FlushFailed, Level = LogLevel.Warning, Message = "KV maintenance could not store hit and miss counts; it retries on the next tick")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
