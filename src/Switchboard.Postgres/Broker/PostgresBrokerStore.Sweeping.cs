using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;

namespace Switchboard.Postgres.Broker;

internal sealed partial class PostgresBrokerStore
{
    private const string LeasedColumns = "m.id, m.queue, m.delivery_count, m.lease_nonce, m.leased_at, m.expires_at, m.history, now()";
    private const int SweepBatch = 500;

    private static readonly TimeSpan CampaignInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DedupCleanupInterval = TimeSpan.FromMinutes(1);
    // Counting every queue is a scan; the gauge is scraped every few seconds anyway.
    private static readonly TimeSpan DepthRefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly string SweeperLock = $"{NodeLockClass}, {SweeperLockId}";

    private volatile bool _sweeping;

    /// <summary>Whether this node holds the sweeper lock right now.</summary>
    internal bool IsSweeping => _sweeping;

    /// <summary>
    /// Every node campaigns for the sweeper lock (a session advisory lock) about once a second; the node that holds
    /// it sweeps every tick on the connection that holds it. If that connection or node dies, PostgreSQL releases
    /// the lock and the next campaign elsewhere wins.
    /// </summary>
    private async Task SweepLoopAsync()
    {
        var interval = TimeSpan.FromMilliseconds(_options.SweepIntervalMilliseconds);
        var sweep = new SweepState();
        NpgsqlConnection? leader = null;
        var nextCampaign = 0L;
        var nextDepths = 0L;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (_metrics is not null && Stopwatch.GetTimestamp() >= nextDepths)
                {
                    nextDepths = Stopwatch.GetTimestamp() + (long)(DepthRefreshInterval.TotalSeconds * Stopwatch.Frequency);
                    await RefreshDepthsSafelyAsync().ConfigureAwait(false);
                }
                if (leader is null && Stopwatch.GetTimestamp() >= nextCampaign)
                {
                    nextCampaign = Stopwatch.GetTimestamp() + (long)(CampaignInterval.TotalSeconds * Stopwatch.Frequency);
                    leader = await CampaignAsync(_stopping.Token).ConfigureAwait(false);
                    sweep = new SweepState();
                }
                if (leader is not null)
                {
                    try
                    {
                        await SweepOnceAsync(leader, sweep, _stopping.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!_stopping.IsCancellationRequested)
                    {
                        if (leader.FullState.HasFlag(System.Data.ConnectionState.Open) && !leader.FullState.HasFlag(System.Data.ConnectionState.Broken))
                        {
                            LogSweepFailed(_logger, ex);
                        }
                        else
                        {
                            LogSweeperLost(_logger, ex);
                            _sweeping = false;
                            await leader.DisposeAsync().ConfigureAwait(false);
                            leader = null;
                        }
                    }
                }
                await Task.Delay(interval, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _sweeping = false;
            if (leader is not null)
            {
                await ResignAsync(leader).ConfigureAwait(false);
            }
        }
    }

    private async Task RefreshDepthsSafelyAsync()
    {
        try
        {
            await RefreshDepthsAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogSweepFailed(_logger, ex);
        }
    }

    private async Task<NpgsqlConnection?> CampaignAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({SweeperLock})", connection);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                // The sweeps' scans (expired leases, TTL, due delays) run on this connection only: see IndexPlansOnly.
                await PostgresDatabase.Execute(connection, "SET enable_seqscan = off; SET enable_bitmapscan = off", cancellationToken).ConfigureAwait(false);
                _sweeping = true;
                LogSweeperElected(_logger);
                return connection;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogSweepFailed(_logger, ex);
        }
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>Gives the lock back explicitly: a closed connection goes back to the pool with its session still open.</summary>
    private static async Task ResignAsync(NpgsqlConnection leader)
    {
        try
        {
            await PostgresDatabase.Execute(leader, $"SELECT pg_advisory_unlock({SweeperLock})", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke: the server has released the lock with the session.
        }
        await leader.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One pass: expired leases, expired messages, delays coming due, old idempotency keys.</summary>
    private async Task SweepOnceAsync(NpgsqlConnection connection, SweepState state, CancellationToken cancellationToken)
    {
        await ReleaseExpiredLeasesAsync(connection, cancellationToken).ConfigureAwait(false);

        // TTL and retention: messages nobody holds. A held one is settled, or released (and deleted) above.
        await using (var command = new NpgsqlCommand("""
            DELETE FROM broker_messages WHERE id IN (
                SELECT id FROM broker_messages WHERE expires_at <= now() AND lease_until IS NULL
                ORDER BY expires_at LIMIT 5000 FOR UPDATE SKIP LOCKED)
            """, connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Delays that came due since the last pass wake receivers everywhere; nothing else would.
        var due = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT now(), array(SELECT DISTINCT queue FROM broker_messages
                                WHERE visible_at > enqueued_at AND visible_at > coalesce($1, '-infinity'::timestamptz) AND visible_at <= now() AND lease_until IS NULL)
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)state.DueSince ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            state.DueSince = reader.GetFieldValue<DateTime>(0);
            due.AddRange(reader.GetFieldValue<string[]>(1));
        }
        if (due.Count > 0)
        {
            await NotifyAsync(connection, null, due, cancellationToken).ConfigureAwait(false);
            _listener.Signal(due);
        }

        if (Stopwatch.GetTimestamp() >= state.NextDedupCleanup)
        {
            state.NextDedupCleanup = Stopwatch.GetTimestamp() + (long)(DedupCleanupInterval.TotalSeconds * Stopwatch.Frequency);
            await PostgresDatabase.Execute(connection, "DELETE FROM broker_dedup WHERE expires_at <= now()", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReleaseExpiredLeasesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        List<LeasedRow> rows;
        await using (var command = new NpgsqlCommand($"""
            SELECT l.* FROM broker_queues q CROSS JOIN LATERAL (
                SELECT {LeasedColumns} FROM broker_messages m
                WHERE m.queue = q.name AND m.lease_until < now()
                ORDER BY m.lease_until LIMIT {SweepBatch}
                FOR UPDATE SKIP LOCKED) l
            LIMIT {SweepBatch}
            """, connection, transaction))
        {
            rows = await ReadLeasedAsync(command, cancellationToken).ConfigureAwait(false);
        }
        if (rows.Count == 0)
        {
            return;
        }
        var woken = await ReleaseAsync(connection, transaction, rows, "lease_expired", null, TimeSpan.Zero, deadLetter: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _listener.Signal(woken);
    }

    /// <summary>
    /// Ends deliveries that failed (nack, reject, expired lease), in the caller's transaction: each message gets its
    /// delivery recorded in its history, then is retried, moved to its queue's dead-letter queue (rejected, or out of
    /// deliveries) or deleted (expired, or rejected with nowhere to go). Returns the queues to wake.
    /// </summary>
    private async Task<string[]> ReleaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LeasedRow> rows,
        string outcome, string? reason, TimeSpan delay, bool deadLetter, CancellationToken cancellationToken)
    {
        var queues = new Dictionary<string, (QueueSettings Settings, string? DeadLetter, int? DeadLetterRetention)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT q.name, q.settings, d.name, (d.settings->>'retentionSeconds')::int
            FROM broker_queues q LEFT JOIN broker_queues d ON d.name = q.settings->>'deadLetterQueue'
            WHERE q.name = ANY($1)
            """, connection, transaction))
        {
            command.Parameters.Add(Array(rows.Select(r => r.Queue).Distinct(StringComparer.Ordinal).ToArray(), NpgsqlDbType.Text));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                queues[reader.GetString(0)] = (ReadSettings(reader.GetString(1)), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt32(3));
            }
        }
        var deletes = new List<Guid>();
        var moves = new List<(Guid Id, string Source, string Target, string History, int? Retention)>();
        var retries = new List<(Guid Id, string Queue, string History)>();
        var woken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!queues.TryGetValue(row.Queue, out var queue))
            {
                continue;
            }
            var history = new List<DeliveryRecord>(Math.Min(row.History.Count + 1, MaxHistory));
            history.AddRange(row.History.Count >= MaxHistory ? row.History.Skip(row.History.Count - MaxHistory + 1) : row.History);
            history.Add(new DeliveryRecord(row.DeliveryCount, row.DeliveredAt, row.Now, outcome, reason));
            var json = JsonSerializer.Serialize(history, Json);
            var exhausted = queue.Settings.MaxDeliveries > 0 && row.DeliveryCount >= queue.Settings.MaxDeliveries;
            var expired = row.ExpiresAt <= row.Now;
            woken.Add(row.Queue);
            if (expired || (deadLetter && queue.DeadLetter is null))
            {
                if (deadLetter && queue.DeadLetter is null && !expired)
                {
                    LogRejectedDropped(_logger, row.Queue, row.Id);
                }
                deletes.Add(row.Id);
            }
            else if ((deadLetter || exhausted) && queue.DeadLetter is { } target)
            {
                moves.Add((row.Id, row.Queue, target, json, queue.DeadLetterRetention));
                woken.Add(target);
            }
            else
            {
                retries.Add((row.Id, row.Queue, json));
            }
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (deletes.Count > 0)
        {
            var command = new NpgsqlBatchCommand("DELETE FROM broker_messages WHERE id = ANY($1)");
            command.Parameters.Add(Array(deletes.ToArray(), NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(command);
        }
        if (moves.Count > 0)
        {
            // A dead letter keeps its id, body, delivery count and place in enqueue order.
            var command = new NpgsqlBatchCommand("""
                UPDATE broker_messages m SET
                    queue = u.target, source_queue = m.queue, history = u.history::jsonb, visible_at = now(),
                    expires_at = now() + u.retention * interval '1 second', leased_at = NULL, lease_until = NULL, lease_nonce = NULL
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS u(id, target, history, retention)
                WHERE m.id = u.id
                """);
            command.Parameters.Add(Array(moves.Select(m => m.Id).ToArray(), NpgsqlDbType.Uuid));
            command.Parameters.Add(Array(moves.Select(m => m.Target).ToArray(), NpgsqlDbType.Text));
            command.Parameters.Add(Array(moves.Select(m => m.History).ToArray(), NpgsqlDbType.Text));
            command.Parameters.Add(Array(moves.Select(m => m.Retention).ToArray(), NpgsqlDbType.Integer));
            batch.BatchCommands.Add(command);
        }
        if (retries.Count > 0)
        {
            var command = new NpgsqlBatchCommand("""
                UPDATE broker_messages m SET
                    history = u.history::jsonb, visible_at = now() + $3, leased_at = NULL, lease_until = NULL, lease_nonce = NULL
                FROM unnest($1::uuid[], $2::text[]) AS u(id, history)
                WHERE m.id = u.id
                """);
            command.Parameters.Add(Array(retries.Select(r => r.Id).ToArray(), NpgsqlDbType.Uuid));
            command.Parameters.Add(Array(retries.Select(r => r.History).ToArray(), NpgsqlDbType.Text));
            command.Parameters.Add(Interval(delay));
            batch.BatchCommands.Add(command);
        }
        if (_metrics is not null)
        {
            foreach (var group in moves.GroupBy(m => m.Source, StringComparer.Ordinal))
            {
                _metrics.DeadLettered(group.Key, group.Count());
            }
            if (outcome == "lease_expired")
            {
                foreach (var group in retries.GroupBy(r => r.Queue, StringComparer.Ordinal))
                {
                    _metrics.Redelivered(group.Key, group.Count());
                }
            }
        }
        var wake = woken.ToArray();
        var notify = new NpgsqlBatchCommand($"SELECT pg_notify('{NodeListener.Channel}', q) FROM unnest($1::text[]) AS q");
        notify.Parameters.Add(Array(wake, NpgsqlDbType.Text));
        batch.BatchCommands.Add(notify);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return wake;
    }

    private static async Task<List<LeasedRow>> ReadLeasedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<LeasedRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new LeasedRow(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.IsDBNull(3) ? 0 : reader.GetInt64(3),
                reader.IsDBNull(4) ? reader.GetFieldValue<DateTimeOffset>(7) : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                ReadHistory(reader.GetString(6)),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return rows;
    }

    /// <summary>A leased message being released, as locked by its releaser; <see cref="Now"/> is the database's clock.</summary>
    private sealed record LeasedRow(Guid Id, string Queue, int DeliveryCount, long Nonce, DateTimeOffset DeliveredAt, DateTimeOffset? ExpiresAt,
        List<DeliveryRecord> History, DateTimeOffset Now);

    /// <summary>What the sweeper remembers between passes while it leads.</summary>
    private sealed class SweepState
    {
        public DateTime? DueSince { get; set; }

        public long NextDedupCleanup { get; set; }
    }
}
