using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Broker;
using Switchboard.Events;

namespace Switchboard.Monitoring;

/// <summary>
/// Waits until this node leads monitoring, then runs the scheduler, the evaluator and the housekeeping until it stops
/// leading (another node takes over) or the server stops. Services are resolved once started: PostgreSQL opens at start-up.
/// </summary>
public sealed class MonitoringRunner(IServiceProvider services, IOptionsMonitor<MonitoringOptions> options, ILogger<MonitoringRunner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!options.CurrentValue.Enabled)
        {
            return;
        }
        var leader = services.GetRequiredService<IMonitoringLeader>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lost = await leader.AcquireAsync(stoppingToken).ConfigureAwait(false);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost);
                MonitoringLog.Leading(logger);
                await services.GetRequiredService<BrokerService>().EnsureTopicAsync(BrokerService.System, SystemEvents.Topic, leading.Token).ConfigureAwait(false);
                await Task.WhenAll(
                    Guard(services.GetRequiredService<MonitorScheduler>().RunAsync, "scheduler", leading.Token),
                    Guard(services.GetRequiredService<AlertEvaluator>().RunAsync, "evaluator", leading.Token),
                    Guard(services.GetRequiredService<MonitoringMaintenance>().RunAsync, "maintenance", leading.Token)).ConfigureAwait(false);
                MonitoringLog.StoppedLeading(logger);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                MonitoringLog.LoopFailed(logger, ex, "leadership");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs one loop until <paramref name="token"/> ends; a failure restarts it after a second.</summary>
    private async Task Guard(Func<CancellationToken, Task> loop, string name, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await loop(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                MonitoringLog.LoopFailed(logger, ex, name);
                await Task.Delay(TimeSpan.FromSeconds(1), token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }
}
