using Npgsql;
using NpgsqlTypes;
using Switchboard.Monitoring;

namespace Switchboard.Postgres.Monitoring;

/// <summary>
/// Monitoring on the scale-out engine. An incident transition is one transaction whose update names the version it
/// was computed from, so of two nodes applying the same transition only one succeeds.
/// </summary>
internal sealed partial class PostgresMonitoringStore(PostgresDatabase database) : IMonitoringStore
{
    public Task<bool> UpsertMonitorAsync(MonitorSpec monitor, CancellationToken cancellationToken) =>
        UpsertDefinitionAsync("monitoring_monitors", monitor.Id, MonitoringJson.Write(monitor), monitor.UpdatedAt, cancellationToken);

    public async Task<MonitorSpec?> GetMonitorAsync(string id, CancellationToken cancellationToken) =>
        await ScalarJsonAsync<MonitorSpec>("SELECT spec FROM monitoring_monitors WHERE id = $1", Text(id), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<MonitorSpec>> ListMonitorsAsync(CancellationToken cancellationToken) =>
        await ListJsonAsync<MonitorSpec>("SELECT spec FROM monitoring_monitors ORDER BY id", [], cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteMonitorAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var sql in new[]
        {
            "DELETE FROM monitoring_results WHERE monitor_id = $1", "DELETE FROM monitoring_rollups WHERE monitor_id = $1",
            "DELETE FROM monitoring_states WHERE monitor_id = $1",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.Add(Text(id));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var delete = new NpgsqlCommand("DELETE FROM monitoring_monitors WHERE id = $1", connection, transaction);
        delete.Parameters.Add(Text(id));
        var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task RecordAsync(IReadOnlyList<(MonitorResult Result, MonitorState State)> checks, CancellationToken cancellationToken)
    {
        if (checks.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        // One statement per kind of row, by arrays: a batch of checks costs one round trip and one commit.
        var results = new NpgsqlBatchCommand("""
            INSERT INTO monitoring_results (monitor_id, at, up, latency_ms, status_code, error, errored)
            SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::float8[], $5::int[], $6::text[], $7::boolean[])
            """);
        results.Parameters.Add(Array(checks.Select(c => c.Result.MonitorId).ToArray(), NpgsqlDbType.Text));
        results.Parameters.Add(Array(checks.Select(c => c.Result.At.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz));
        results.Parameters.Add(Array(checks.Select(c => c.Result.Up).ToArray(), NpgsqlDbType.Boolean));
        results.Parameters.Add(Array(checks.Select(c => c.Result.LatencyMs).ToArray(), NpgsqlDbType.Double));
        results.Parameters.Add(Array(checks.Select(c => c.Result.StatusCode).ToArray(), NpgsqlDbType.Integer));
        results.Parameters.Add(Array(checks.Select(c => c.Result.Error).ToArray(), NpgsqlDbType.Text));
        results.Parameters.Add(Array(checks.Select(c => c.Result.Errored).ToArray(), NpgsqlDbType.Boolean));
        batch.BatchCommands.Add(results);
        // The last state of each monitor wins.
        var states = checks.Select(c => c.State).GroupBy(s => s.MonitorId, StringComparer.Ordinal).Select(g => g.Last()).ToArray();
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO monitoring_states (monitor_id, status, failures, last_check_at, changed_at, last_error)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::text[])
            ON CONFLICT (monitor_id) DO UPDATE SET status = excluded.status, failures = excluded.failures,
                last_check_at = excluded.last_check_at, changed_at = excluded.changed_at, last_error = excluded.last_error
            """);
        upsert.Parameters.Add(Array(states.Select(s => s.MonitorId).ToArray(), NpgsqlDbType.Text));
        upsert.Parameters.Add(Array(states.Select(s => s.Status).ToArray(), NpgsqlDbType.Text));
        upsert.Parameters.Add(Array(states.Select(s => s.ConsecutiveFailures).ToArray(), NpgsqlDbType.Integer));
        upsert.Parameters.Add(Array(states.Select(s => s.LastCheckAt?.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz));
        upsert.Parameters.Add(Array(states.Select(s => s.ChangedAt?.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz));
        upsert.Parameters.Add(Array(states.Select(s => s.LastError).ToArray(), NpgsqlDbType.Text));
        batch.BatchCommands.Add(upsert);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MonitorState>> ListStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT monitor_id, status, failures, last_check_at, changed_at, last_error FROM monitoring_states ORDER BY monitor_id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var states = new List<MonitorState>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states.Add(new MonitorState(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), ToTime(reader, 3), ToTime(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return states;
    }

    public async Task<IReadOnlyList<MonitorResult>> ListResultsAsync(string? monitorId, DateTimeOffset from, DateTimeOffset to, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT monitor_id, at, up, latency_ms, status_code, error, errored FROM monitoring_results
            WHERE ($1::text IS NULL OR monitor_id = $1) AND at >= $2 AND at < $3 ORDER BY at LIMIT $4
            """, connection);
        command.Parameters.Add(Param(monitorId, NpgsqlDbType.Text));
        command.Parameters.Add(Time(from));
        command.Parameters.Add(Time(to));
        command.Parameters.Add(Param(limit, NpgsqlDbType.Integer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<MonitorResult>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(new MonitorResult(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2), reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6)));
        }
        return results;
    }

    public async Task UpsertRollupsAsync(IReadOnlyList<MonitorRollup> rollups, CancellationToken cancellationToken)
    {
        if (rollups.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO monitoring_rollups (monitor_id, resolution, bucket_start, checks, up_checks, errors, latency_avg, latency_p50, latency_p95, latency_p99)
            SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::float8[], $9::float8[], $10::float8[])
            ON CONFLICT (monitor_id, resolution, bucket_start) DO UPDATE SET checks = excluded.checks, up_checks = excluded.up_checks,
                errors = excluded.errors, latency_avg = excluded.latency_avg, latency_p50 = excluded.latency_p50,
                latency_p95 = excluded.latency_p95, latency_p99 = excluded.latency_p99
            """, connection);
        command.Parameters.Add(Array(rollups.Select(r => r.MonitorId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(rollups.Select(r => r.ResolutionSeconds).ToArray(), NpgsqlDbType.Integer));
        command.Parameters.Add(Array(rollups.Select(r => r.BucketStart.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Array(rollups.Select(r => r.Checks).ToArray(), NpgsqlDbType.Integer));
        command.Parameters.Add(Array(rollups.Select(r => r.UpChecks).ToArray(), NpgsqlDbType.Integer));
        command.Parameters.Add(Array(rollups.Select(r => r.Errors).ToArray(), NpgsqlDbType.Integer));
        command.Parameters.Add(Array(rollups.Select(r => r.LatencyAvg).ToArray(), NpgsqlDbType.Double));
        command.Parameters.Add(Array(rollups.Select(r => r.LatencyP50).ToArray(), NpgsqlDbType.Double));
        command.Parameters.Add(Array(rollups.Select(r => r.LatencyP95).ToArray(), NpgsqlDbType.Double));
        command.Parameters.Add(Array(rollups.Select(r => r.LatencyP99).ToArray(), NpgsqlDbType.Double));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MonitorRollup>> ListRollupsAsync(string monitorId, int resolutionSeconds, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT monitor_id, resolution, bucket_start, checks, up_checks, errors, latency_avg, latency_p50, latency_p95, latency_p99
            FROM monitoring_rollups WHERE monitor_id = $1 AND resolution = $2 AND bucket_start >= $3 AND bucket_start < $4 ORDER BY bucket_start
            """, connection);
        command.Parameters.Add(Text(monitorId));
        command.Parameters.Add(Param(resolutionSeconds, NpgsqlDbType.Integer));
        command.Parameters.Add(Time(from));
        command.Parameters.Add(Time(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rollups = new List<MonitorRollup>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rollups.Add(new MonitorRollup(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9)));
        }
        return rollups;
    }

    public async Task ClearStatsAsync(string monitorId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in new[] { "DELETE FROM monitoring_results WHERE monitor_id = $1", "DELETE FROM monitoring_rollups WHERE monitor_id = $1" })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(Text(monitorId));
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> PruneAsync(DateTimeOffset resultsBefore, DateTimeOffset minutesBefore, DateTimeOffset hoursBefore,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long deleted = 0;
        foreach (var (sql, before) in new[]
        {
            ("DELETE FROM monitoring_results WHERE at < $1", resultsBefore),
            ("DELETE FROM monitoring_rollups WHERE resolution = 60 AND bucket_start < $1", minutesBefore),
            ("DELETE FROM monitoring_rollups WHERE resolution = 3600 AND bucket_start < $1", hoursBefore),
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(Time(before));
            deleted += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return deleted;
    }

    public async Task<DateTimeOffset?> GetMarkAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT value FROM monitoring_marks WHERE name = $1", connection);
        command.Parameters.Add(Text(name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    public async Task SetMarkAsync(string name, DateTimeOffset value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO monitoring_marks (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value", connection);
        command.Parameters.Add(Text(name));
        command.Parameters.Add(Time(value));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> UpsertRuleAsync(AlertRule rule, CancellationToken cancellationToken) =>
        UpsertDefinitionAsync("monitoring_rules", rule.Id, MonitoringJson.Write(rule), rule.UpdatedAt, cancellationToken);

    public async Task<AlertRule?> GetRuleAsync(string id, CancellationToken cancellationToken) =>
        await ScalarJsonAsync<AlertRule>("SELECT spec FROM monitoring_rules WHERE id = $1", Text(id), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<AlertRule>> ListRulesAsync(CancellationToken cancellationToken) =>
        await ListJsonAsync<AlertRule>("SELECT spec FROM monitoring_rules ORDER BY id", [], cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteRuleAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM monitoring_rules WHERE id = $1", connection);
        command.Parameters.Add(Text(id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Inserts or replaces a JSON definition in <paramref name="table"/>; true when it was new (xmax is 0 only on a fresh row).</summary>
    private async Task<bool> UpsertDefinitionAsync(string table, string id, string spec, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {table} (id, spec, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at
            RETURNING xmax = 0
            """, connection);
        command.Parameters.Add(Text(id));
        command.Parameters.Add(Json(spec));
        command.Parameters.Add(Time(at));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<T?> ScalarJsonAsync<T>(string sql, NpgsqlParameter parameter, CancellationToken cancellationToken) where T : class
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? MonitoringJson.Read<T>(json) : null;
    }

    private async Task<List<T>> ListJsonAsync<T>(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(MonitoringJson.Read<T>(reader.GetString(0)));
        }
        return items;
    }

    private static DateTimeOffset? ToTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Json(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Param(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType type) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
}
