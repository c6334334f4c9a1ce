using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Files;

/// <summary>
/// Every <see cref="FilesOptions.SweepInterval"/> removes incomplete uploads past their expiry, with their bytes.
/// On PostgreSQL every node runs it: the store hands each expired row to exactly one node, so no election is needed.
/// </summary>
internal sealed partial class FilesMaintenance(IServiceProvider services, IOptions<FilesOptions> options, TimeProvider time, ILogger<FilesMaintenance> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here: hosted services are built before the storage engine has opened its database.
        var files = services.GetRequiredService<FileService>();
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var removed = await files.SweepAsync(stoppingToken).ConfigureAwait(false);
                    if (removed > 0)
                    {
                        LogSwept(logger, removed);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A storage hiccup must not stop the timer; the next tick retries.
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 9411, Level = LogLevel.Information, Message = "Removed {Count} expired incomplete uploads")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 9412, Level = LogLevel.Warning, Message = "Removing expired uploads failed; it retries on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
