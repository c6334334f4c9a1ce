using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Broker;

namespace Switchboard.Channels;

/// <summary>
/// Consumes <c>$sys.delivery.&lt;instance&gt;</c> for every configured instance: up to <c>Channels:Delivery:Concurrency</c>
/// jobs at a time under a lease, each acked only after its outcome is recorded. A disabled instance's jobs wait in its
/// queue. Does nothing when no instance is configured; <see cref="DeliverySweeper"/> re-enqueues what a crash left behind.
/// The broker is resolved once started: PostgreSQL opens at start-up.
/// </summary>
public sealed class DeliveryWorker(
    IServiceProvider services,
    ChannelRegistry registry,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private BrokerService Broker => services.GetRequiredService<BrokerService>();

    private DeliveryProcessor Processor => services.GetRequiredService<DeliveryProcessor>();

    /// <summary>Creates the delivery queues of every configured instance and the delivery dead-letter queue.</summary>
    public async Task EnsureQueuesAsync(CancellationToken cancellationToken)
    {
        var delivery = registry.Options.Delivery;
        var settings = new QueueSettingsInput { LeaseSeconds = delivery.LeaseSeconds, MaxDeliveries = 10 };
        var broker = Broker;
        foreach (var name in registry.Names)
        {
            await broker.EnsureQueueAsync(BrokerService.System, DeliveryJob.QueueFor(name), settings, cancellationToken).ConfigureAwait(false);
        }
        await broker.EnsureQueueAsync(BrokerService.System, DeliveryTicket.DeadLetterQueue, new QueueSettingsInput { MaxDeliveries = 0, DeadLetterQueue = "" },
            cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var names = registry.Names;
        if (names.Count == 0)
        {
            return;
        }
        await EnsureQueuesAsync(stoppingToken).ConfigureAwait(false);
        ChannelLog.WorkersStarted(logger, string.Join(", ", names));
        var loops = names.Select(name => RunAsync(name, stoppingToken));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task RunAsync(string name, CancellationToken stoppingToken)
    {
        var queue = DeliveryJob.QueueFor(name);
        var broker = Broker;
        var concurrency = Math.Max(1, registry.Options.Delivery.Concurrency);
        var slots = new SemaphoreSlim(concurrency);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await registry.WaitUntilEnabledAsync(name, stoppingToken).ConfigureAwait(false);
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var free = 1;
                while (slots.Wait(0))
                {
                    free++;
                }
                IReadOnlyList<BrokerMessage> messages;
                try
                {
                    messages = await broker.ReceiveAsync(BrokerService.System, queue, free, 5, registry.Options.Delivery.LeaseSeconds, stoppingToken)
                        .ConfigureAwait(false);
                }
                catch
                {
                    slots.Release(free);
                    throw;
                }
                if (free > messages.Count)
                {
                    slots.Release(free - messages.Count);
                }
                foreach (var message in messages)
                {
                    _ = ProcessAsync(queue, message, slots, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ChannelLog.WorkerFaulted(logger, ex, name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private async Task ProcessAsync(string queue, BrokerMessage message, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Processor.HandleAsync(message, stoppingToken).ConfigureAwait(false);
            await Broker.AckAsync(BrokerService.System, queue, [Lease(message)], stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the lease runs out and the job is redelivered after the restart.
        }
        catch (Exception ex)
        {
            ChannelLog.JobFailed(logger, ex, message.Id, queue);
            try
            {
                await Broker.NackAsync(BrokerService.System, queue, [Lease(message)], 5, ex.Message[..Math.Min(ex.Message.Length, 1000)],
                    false, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The lease expires and the job comes back anyway.
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private static LeaseToken Lease(BrokerMessage message) =>
        LeaseToken.TryParse(message.Lease, out var lease) ? lease.Value : throw new InvalidOperationException("A received message has no lease.");
}
