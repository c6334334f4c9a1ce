using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Operations;

namespace Switchboard.Files;

/// <summary>
/// Every <see cref="FilesOptions.SweepInterval"/> removes incomplete uploads past their expiry, with their bytes.
/// On PostgreSQL every node runs it: the store hands each expired row to exactly one node, so no election is needed.
/// </summary>
internal sealed partial class FilesMaintenance(IServiceProvider services, IOptions<FilesOptions> options, TimeProvider time, ILogger<FilesMaintenance> logger)
    : PeriodicLoop(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Name => "Removing expired uploads";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var removed = await services.GetRequiredService<FileService>().SweepAsync(cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            LogSwept(Logger, removed);
        }
    }

    [LoggerMessage(EventId = EventIds.Files.MaintenanceSwept, Level = LogLevel.Information, Message = "Removed {Count} expired incomplete uploads")]
    private static partial void LogSwept(ILogger logger, int count);
}
