using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Hosting;

namespace Switchboard.Channels;

/// <summary>
/// Every ten seconds re-enqueues deliveries a crash left <c>accepted</c> between their commit and their publish. The
/// republished job carries the first job's idempotency key, so a job that did get out is not doubled.
/// </summary>
public sealed class DeliverySweeper(IServiceProvider services, ChannelRegistry registry, TimeProvider time, ILogger<DeliverySweeper> logger)
    : PeriodicLoop(time, logger)
{
    /// <summary>How long a delivery may stay <c>accepted</c> before the sweep publishes its job again.</summary>
    private static readonly TimeSpan AcceptedGrace = TimeSpan.FromSeconds(30);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(10);

    protected override string Name => "Re-enqueuing accepted deliveries";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (registry.Names.Count == 0)
        {
            return; // No instance, no delivery queue to publish to.
        }
        // Resolved here: the engine opens its database at start-up, after hosted services are built.
        var store = services.GetRequiredService<IDeliveryStore>();
        var processor = services.GetRequiredService<DeliveryProcessor>();
        var stale = await store.ListStaleAsync(DeliveryStatus.Accepted, Time.GetUtcNow() - AcceptedGrace, 500, cancellationToken).ConfigureAwait(false);
        foreach (var delivery in stale)
        {
            await processor.EnqueueAsync(delivery, delivery.Hop, DeliveryProcessor.FirstKey(delivery), cancellationToken).ConfigureAwait(false);
            await store.MarkAsync([delivery.Id], DeliveryStatus.Accepted, DeliveryStatus.Queued, Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        if (stale.Count > 0)
        {
            ChannelLog.Requeued(Logger, stale.Count);
        }
    }
}
