using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Monitoring;

/// <summary>
/// The leader's housekeeping: puts the monitors declared in configuration into the store (and removes those no longer
/// declared), rolls raw results up per minute and per hour, and prunes each past its retention.
/// </summary>
public sealed class MonitoringMaintenance(
    IMonitoringStore store,
    MonitorScheduler scheduler,
    IOptionsMonitor<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitoringMaintenance> logger)
{
    private const string RollupMark = "rollup";
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await SyncConfiguredAsync(cancellationToken).ConfigureAwait(false);
        var nextPrune = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RollUpAsync(cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                if (now >= nextPrune)
                {
                    var o = options.CurrentValue;
                    await store.PruneAsync(now - o.ResultRetention, now - o.MinuteRollupRetention, now - o.HourRollupRetention, cancellationToken).ConfigureAwait(false);
                    nextPrune = now.AddMinutes(10);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MonitoringLog.LoopFailed(logger, ex, "maintenance");
            }
            await Task.Delay(TimeSpan.FromSeconds(15), time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SyncConfiguredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var declared = options.CurrentValue.Monitors.ToDictionary(m => m.Value.Id ?? m.Key, m => m.Value with { Id = m.Value.Id ?? m.Key }, StringComparer.Ordinal);
        var stored = (await store.ListMonitorsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Id, StringComparer.Ordinal);
        foreach (var (id, monitor) in declared)
        {
            var existing = stored.GetValueOrDefault(id);
            var candidate = monitor with { Source = "config", CreatedAt = existing?.CreatedAt ?? now, UpdatedAt = existing?.UpdatedAt ?? now };
            if (existing is null || MonitoringJson.Write(existing) != MonitoringJson.Write(candidate))
            {
                await store.UpsertMonitorAsync(candidate with { UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var gone in stored.Values.Where(m => m.Source == "config" && !declared.ContainsKey(m.Id)))
        {
            await store.DeleteMonitorAsync(gone.Id, cancellationToken).ConfigureAwait(false);
        }
        scheduler.Changed();
    }

    /// <summary>
    /// Rolls up every whole minute since the mark, and recomputes the hours those minutes fall in from the raw
    /// results (kept longer than an hour), so a roll-up is complete however the minutes arrive.
    /// </summary>
    public async Task RollUpAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var upTo = Floor(now, Minute);
        var from = await store.GetMarkAsync(RollupMark, cancellationToken).ConfigureAwait(false) ?? Floor(now - options.CurrentValue.ResultRetention, Hour);
        if (from >= upTo)
        {
            return;
        }
        var hourStart = Floor(from, Hour);
        var results = await store.ListResultsAsync(null, hourStart, upTo, int.MaxValue, cancellationToken).ConfigureAwait(false);
        await store.UpsertRollupsAsync(MonitorRollup.From(results.Where(r => r.At >= from), Minute), cancellationToken).ConfigureAwait(false);
        await store.UpsertRollupsAsync(MonitorRollup.From(results, Hour), cancellationToken).ConfigureAwait(false);
        await store.SetMarkAsync(RollupMark, upTo, cancellationToken).ConfigureAwait(false);
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan unit) => new(at.UtcTicks - at.UtcTicks % unit.Ticks, TimeSpan.Zero);
}
