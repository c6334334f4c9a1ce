using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Switchboard.Presence;

/// <summary>Drives <see cref="PresenceTracker.TickAsync"/>: idle checks every second, the store heartbeat on its interval; clears this node's share on shutdown.</summary>
internal sealed class PresenceHeartbeat(PresenceTracker tracker, IOptions<PresenceOptions> options, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = options.Value.Heartbeat;
        var tick = heartbeat < IdleCheck ? heartbeat : IdleCheck;
        using var timer = new PeriodicTimer(tick, time);
        var lastBeat = long.MinValue;
        try
        {
            do
            {
                var beat = lastBeat == long.MinValue || time.GetElapsedTime(lastBeat) >= heartbeat;
                if (beat)
                {
                    lastBeat = time.GetTimestamp();
                }
                await tracker.TickAsync(beat, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await tracker.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
