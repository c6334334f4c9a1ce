using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Presence;

/// <summary>Drives <see cref="PresenceTracker.TickAsync"/>: idle checks every second, the store heartbeat on its interval; clears this node's share on shutdown.</summary>
internal sealed class PresenceHeartbeat(PresenceTracker tracker, IOptions<PresenceOptions> options, TimeProvider time, ILogger<PresenceHeartbeat> logger)
    : PeriodicLoop(time, logger)
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    private long _lastBeat = long.MinValue;

    protected override TimeSpan Interval => options.Value.Heartbeat < IdleCheck ? options.Value.Heartbeat : IdleCheck;

    protected override bool RunAtStart => true;

    protected override string Name => "The presence heartbeat";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var beat = _lastBeat == long.MinValue || Time.GetElapsedTime(_lastBeat) >= options.Value.Heartbeat;
        if (beat)
        {
            _lastBeat = Time.GetTimestamp();
        }
        await tracker.TickAsync(beat, cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await tracker.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
