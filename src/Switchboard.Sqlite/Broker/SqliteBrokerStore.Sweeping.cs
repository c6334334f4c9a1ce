
namespace Switchboard.Sqlite.Broker;

internal sealed partial class SqliteBrokerStore
{
    private async Task SweepLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.SweepIntervalMilliseconds), _time);
        var nextDedupCleanup = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await SweepOnceAsync().ConfigureAwait(false);
                    var now = Now();
                    if (now >= nextDedupCleanup)
                    {
                        nextDedupCleanup = now + 60_000;
                        await _database.Writer.ExecuteAsync(ctx =>
                        {
                            var delete = ctx.Command("DELETE FROM broker_dedup WHERE expires_at <= $now");
                            delete.Parameters.AddWithValue("$now", now);
                            delete.ExecuteNonQuery();
                        }, _stopping.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (!_stopping.IsCancellationRequested)
                {
                    LogSweepFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass: due delays become ready, expired leases are released, expired messages are deleted.</summary>
    internal async Task SweepOnceAsync()
    {
        foreach (var state in _queues.Values)
        {
            List<MessageEntry>? expiredLeases = null;
            List<MessageEntry>? expired = null;
            var now = Now();
            lock (state.Gate)
            {
                if (state.PromoteDue(now))
                {
                    state.Signal();
                }
                foreach (var entry in state.InFlight)
                {
                    if (entry.State == EntryState.InFlight && entry.LeaseExpiresAt <= now)
                    {
                        (expiredLeases ??= []).Add(entry);
                    }
                }
                if (expiredLeases is not null)
                {
                    foreach (var entry in expiredLeases)
                    {
                        entry.State = EntryState.Busy;
                    }
                }
                foreach (var entry in state.Expiring)
                {
                    if (entry.ExpiresAt > now)
                    {
                        break;
                    }
                    if (entry.State is EntryState.Ready or EntryState.Delayed)
                    {
                        (expired ??= []).Add(entry);
                    }
                }
                if (expired is not null)
                {
                    foreach (var entry in expired)
                    {
                        state.Remove(entry);
                        Uncache(entry);
                    }
                }
            }
            if (expiredLeases is not null)
            {
                await ReleaseAsync(state, expiredLeases, "lease_expired", null, TimeSpan.Zero, deadLetter: false).ConfigureAwait(false);
            }
            if (expired is not null)
            {
                await _database.Writer.ExecuteAsync(ctx => DeleteRows(ctx, expired), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
