using Microsoft.Data.Sqlite;
using Switchboard.Monitoring;

namespace Switchboard.Sqlite.Monitoring;

/// <summary>
/// Monitoring on the embedded engine. Writes go through the group-commit writer, which runs one operation at a time,
/// so an incident's version check and its update cannot interleave with another transition.
/// </summary>
internal sealed partial class SqliteMonitoringStore(SqliteDatabase database) : IMonitoringStore
{
    public Task<bool> UpsertMonitorAsync(MonitorSpec monitor, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx => UpsertDefinition(ctx, "monitoring_monitors", monitor.Id, MonitoringJson.Write(monitor), monitor.UpdatedAt),
            cancellationToken);

    public Task<MonitorSpec?> GetMonitorAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => ReadDefinition<MonitorSpec>(connection, "monitoring_monitors", id), cancellationToken);

    public Task<IReadOnlyList<MonitorSpec>> ListMonitorsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MonitorSpec>>(connection => ReadJson<MonitorSpec>(connection, "SELECT spec FROM monitoring_monitors ORDER BY id"),
            cancellationToken);

    public Task<bool> DeleteMonitorAsync(string id, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var sql in new[]
            {
                "DELETE FROM monitoring_results WHERE monitor_id = $id", "DELETE FROM monitoring_rollups WHERE monitor_id = $id",
                "DELETE FROM monitoring_states WHERE monitor_id = $id",
            })
            {
                var command = ctx.Command(sql);
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
            }
            var delete = ctx.Command("DELETE FROM monitoring_monitors WHERE id = $id");
            delete.Parameters.AddWithValue("$id", id);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task RecordAsync(IReadOnlyList<(MonitorResult Result, MonitorState State)> checks, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var (result, state) in checks)
            {
                var insert = ctx.Command("""
                    INSERT INTO monitoring_results (monitor_id, at, up, latency_ms, status_code, error, errored)
                    VALUES ($id, $at, $up, $latency, $status, $error, $errored)
                    """);
                insert.Parameters.AddWithValue("$id", result.MonitorId);
                insert.Parameters.AddWithValue("$at", result.At.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$up", result.Up ? 1 : 0);
                insert.Parameters.AddWithValue("$latency", result.LatencyMs);
                insert.Parameters.AddWithValue("$status", (object?)result.StatusCode ?? DBNull.Value);
                insert.Parameters.AddWithValue("$error", (object?)result.Error ?? DBNull.Value);
                insert.Parameters.AddWithValue("$errored", result.Errored ? 1 : 0);
                insert.ExecuteNonQuery();
                var upsert = ctx.Command("""
                    INSERT INTO monitoring_states (monitor_id, status, failures, last_check_at, changed_at, last_error)
                    VALUES ($id, $status, $failures, $last, $changed, $error)
                    ON CONFLICT (monitor_id) DO UPDATE SET status = excluded.status, failures = excluded.failures,
                        last_check_at = excluded.last_check_at, changed_at = excluded.changed_at, last_error = excluded.last_error
                    """);
                upsert.Parameters.AddWithValue("$id", state.MonitorId);
                upsert.Parameters.AddWithValue("$status", state.Status);
                upsert.Parameters.AddWithValue("$failures", state.ConsecutiveFailures);
                upsert.Parameters.AddWithValue("$last", Ms(state.LastCheckAt));
                upsert.Parameters.AddWithValue("$changed", Ms(state.ChangedAt));
                upsert.Parameters.AddWithValue("$error", (object?)state.LastError ?? DBNull.Value);
                upsert.ExecuteNonQuery();
            }
        }, cancellationToken);

    public Task<IReadOnlyList<MonitorState>> ListStatesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MonitorState>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT monitor_id, status, failures, last_check_at, changed_at, last_error FROM monitoring_states ORDER BY monitor_id";
            using var reader = command.ExecuteReader();
            var states = new List<MonitorState>();
            while (reader.Read())
            {
                states.Add(new MonitorState(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), Time(reader, 3), Time(reader, 4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
            return states;
        }, cancellationToken);

    public Task<IReadOnlyList<MonitorResult>> ListResultsAsync(string? monitorId, DateTimeOffset from, DateTimeOffset to, int limit,
        CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MonitorResult>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT monitor_id, at, up, latency_ms, status_code, error, errored FROM monitoring_results
                WHERE {(monitorId is null ? "" : "monitor_id = $id AND ")}at >= $from AND at < $to ORDER BY at LIMIT $limit
                """;
            if (monitorId is not null)
            {
                command.Parameters.AddWithValue("$id", monitorId);
            }
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var results = new List<MonitorResult>();
            while (reader.Read())
            {
                results.Add(new MonitorResult(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2) != 0,
                    reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6) != 0));
            }
            return results;
        }, cancellationToken);

    public Task UpsertRollupsAsync(IReadOnlyList<MonitorRollup> rollups, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var r in rollups)
            {
                var upsert = ctx.Command("""
                    INSERT OR REPLACE INTO monitoring_rollups
                        (monitor_id, resolution, bucket_start, checks, up_checks, errors, latency_avg, latency_p50, latency_p95, latency_p99)
                    VALUES ($id, $resolution, $start, $checks, $up, $errors, $avg, $p50, $p95, $p99)
                    """);
                upsert.Parameters.AddWithValue("$id", r.MonitorId);
                upsert.Parameters.AddWithValue("$resolution", r.ResolutionSeconds);
                upsert.Parameters.AddWithValue("$start", r.BucketStart.ToUnixTimeMilliseconds());
                upsert.Parameters.AddWithValue("$checks", r.Checks);
                upsert.Parameters.AddWithValue("$up", r.UpChecks);
                upsert.Parameters.AddWithValue("$errors", r.Errors);
                upsert.Parameters.AddWithValue("$avg", r.LatencyAvg);
                upsert.Parameters.AddWithValue("$p50", r.LatencyP50);
                upsert.Parameters.AddWithValue("$p95", r.LatencyP95);
                upsert.Parameters.AddWithValue("$p99", r.LatencyP99);
                upsert.ExecuteNonQuery();
            }
        }, cancellationToken);

    public Task<IReadOnlyList<MonitorRollup>> ListRollupsAsync(string monitorId, int resolutionSeconds, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MonitorRollup>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT monitor_id, resolution, bucket_start, checks, up_checks, errors, latency_avg, latency_p50, latency_p95, latency_p99
                FROM monitoring_rollups WHERE monitor_id = $id AND resolution = $resolution AND bucket_start >= $from AND bucket_start < $to
                ORDER BY bucket_start
                """;
            command.Parameters.AddWithValue("$id", monitorId);
            command.Parameters.AddWithValue("$resolution", resolutionSeconds);
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            using var reader = command.ExecuteReader();
            var rollups = new List<MonitorRollup>();
            while (reader.Read())
            {
                rollups.Add(new MonitorRollup(reader.GetString(0), reader.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9)));
            }
            return rollups;
        }, cancellationToken);

    public Task ClearStatsAsync(string monitorId, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var sql in new[] { "DELETE FROM monitoring_results WHERE monitor_id = $id", "DELETE FROM monitoring_rollups WHERE monitor_id = $id" })
            {
                var command = ctx.Command(sql);
                command.Parameters.AddWithValue("$id", monitorId);
                command.ExecuteNonQuery();
            }
        }, cancellationToken);

    public Task<long> PruneAsync(DateTimeOffset resultsBefore, DateTimeOffset minutesBefore, DateTimeOffset hoursBefore, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            long deleted = 0;
            foreach (var (sql, before) in new[]
            {
                ("DELETE FROM monitoring_results WHERE at < $before", resultsBefore),
                ("DELETE FROM monitoring_rollups WHERE resolution = 60 AND bucket_start < $before", minutesBefore),
                ("DELETE FROM monitoring_rollups WHERE resolution = 3600 AND bucket_start < $before", hoursBefore),
            })
            {
                var command = ctx.Command(sql);
                command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
                deleted += command.ExecuteNonQuery();
            }
            return deleted;
        }, cancellationToken);

    public Task<DateTimeOffset?> GetMarkAsync(string name, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM monitoring_marks WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    public Task SetMarkAsync(string name, DateTimeOffset value, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var command = ctx.Command("INSERT OR REPLACE INTO monitoring_marks (name, value) VALUES ($name, $value)");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$value", value.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<bool> UpsertRuleAsync(AlertRule rule, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx => UpsertDefinition(ctx, "monitoring_rules", rule.Id, MonitoringJson.Write(rule), rule.UpdatedAt), cancellationToken);

    public Task<AlertRule?> GetRuleAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => ReadDefinition<AlertRule>(connection, "monitoring_rules", id), cancellationToken);

    public Task<IReadOnlyList<AlertRule>> ListRulesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AlertRule>>(connection => ReadJson<AlertRule>(connection, "SELECT spec FROM monitoring_rules ORDER BY id"),
            cancellationToken);

    public Task<bool> DeleteRuleAsync(string id, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var delete = ctx.Command("DELETE FROM monitoring_rules WHERE id = $id");
            delete.Parameters.AddWithValue("$id", id);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);

    /// <summary>Inserts or replaces a JSON definition in <paramref name="table"/>; true when it was new.</summary>
    private static bool UpsertDefinition(SqliteWriteContext ctx, string table, string id, string spec, DateTimeOffset at)
    {
        var exists = ctx.Command($"SELECT 1 FROM {table} WHERE id = $id");
        exists.Parameters.AddWithValue("$id", id);
        var created = exists.ExecuteScalar() is null;
        var upsert = ctx.Command($"""
            INSERT INTO {table} (id, spec, updated_at) VALUES ($id, $spec, $at)
            ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at
            """);
        upsert.Parameters.AddWithValue("$id", id);
        upsert.Parameters.AddWithValue("$spec", spec);
        upsert.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        upsert.ExecuteNonQuery();
        return created;
    }

    private static T? ReadDefinition<T>(SqliteConnection connection, string table, string id) where T : class
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT spec FROM {table} WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is string spec ? MonitoringJson.Read<T>(spec) : null;
    }

    private static List<T> ReadJson<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var items = new List<T>();
        while (reader.Read())
        {
            items.Add(MonitoringJson.Read<T>(reader.GetString(0)));
        }
        return items;
    }

    private static object Ms(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
