using Npgsql;
using NpgsqlTypes;
using Switchboard.Monitoring;

namespace Switchboard.Postgres.Monitoring;

internal sealed partial class PostgresMonitoringStore
{
    public async Task<IReadOnlyList<AlertState>> ListAlertStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT rule_id, subject, pending_since, incident_id FROM monitoring_alert_states ORDER BY rule_id, subject", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var states = new List<AlertState>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states.Add(new AlertState(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3)));
        }
        return states;
    }

    public async Task SetAlertStateAsync(AlertState? set, AlertStateKey? clear, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        AddAlertState(batch, set, clear);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void AddAlertState(NpgsqlBatch batch, AlertState? set, AlertStateKey? clear)
    {
        if (clear is { } key)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM monitoring_alert_states WHERE rule_id = $1 AND subject = $2");
            delete.Parameters.Add(Text(key.RuleId));
            delete.Parameters.Add(Text(key.Subject));
            batch.BatchCommands.Add(delete);
        }
        if (set is not null)
        {
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO monitoring_alert_states (rule_id, subject, pending_since, incident_id) VALUES ($1, $2, $3, $4)
                ON CONFLICT (rule_id, subject) DO UPDATE SET pending_since = excluded.pending_since, incident_id = excluded.incident_id
                """);
            upsert.Parameters.Add(Text(set.RuleId));
            upsert.Parameters.Add(Text(set.Subject));
            upsert.Parameters.Add(Time(set.PendingSince));
            upsert.Parameters.Add(Param(set.IncidentId, NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(upsert);
        }
    }

    public async Task<bool> ApplyAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        var incident = change.Incident;
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var write = new NpgsqlCommand(change.ExpectedVersion is null
            ? """
                INSERT INTO monitoring_incidents (id, status, severity, version, body, rule_id, subject, started_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING
                """
            : "UPDATE monitoring_incidents SET status = $2, severity = $3, version = $4, body = $5 WHERE id = $1 AND version = $6",
            connection, transaction))
        {
            write.Parameters.Add(Param(incident.Id, NpgsqlDbType.Uuid));
            write.Parameters.Add(Text(incident.Status));
            write.Parameters.Add(Text(incident.Severity));
            write.Parameters.Add(Param(incident.Version, NpgsqlDbType.Bigint));
            write.Parameters.Add(Json(MonitoringJson.Write(incident)));
            if (change.ExpectedVersion is { } expected)
            {
                write.Parameters.Add(Param(expected, NpgsqlDbType.Bigint));
            }
            else
            {
                write.Parameters.Add(Text(incident.RuleId));
                write.Parameters.Add(Text(incident.Subject));
                write.Parameters.Add(Time(incident.StartedAt));
            }
            if (await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddEvents(batch, change.Events);
        foreach (var notice in change.Notices)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO monitoring_notices (key, incident_id, kind, route, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING
                """);
            insert.Parameters.Add(Text(notice.Key));
            insert.Parameters.Add(Param(notice.IncidentId, NpgsqlDbType.Uuid));
            insert.Parameters.Add(Text(notice.Kind));
            insert.Parameters.Add(Param(notice.Route, NpgsqlDbType.Text));
            insert.Parameters.Add(Time(notice.CreatedAt));
            batch.BatchCommands.Add(insert);
        }
        AddAlertState(batch, change.SetState, change.ClearState);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static void AddEvents(NpgsqlBatch batch, IReadOnlyList<IncidentEvent> events)
    {
        foreach (var e in events)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO monitoring_incident_events (incident_id, at, kind, message, actor, notification_id, route) VALUES ($1, $2, $3, $4, $5, $6, $7)
                """);
            insert.Parameters.Add(Param(e.IncidentId, NpgsqlDbType.Uuid));
            insert.Parameters.Add(Time(e.At));
            insert.Parameters.Add(Text(e.Kind));
            insert.Parameters.Add(Text(e.Message));
            insert.Parameters.Add(Param(e.Actor, NpgsqlDbType.Text));
            insert.Parameters.Add(Param(e.NotificationId, NpgsqlDbType.Uuid));
            insert.Parameters.Add(Param(e.Route, NpgsqlDbType.Text));
            batch.BatchCommands.Add(insert);
        }
    }

    public async Task<Incident?> GetIncidentAsync(Guid id, CancellationToken cancellationToken) =>
        await ScalarJsonAsync<Incident>("SELECT body FROM monitoring_incidents WHERE id = $1", Param(id, NpgsqlDbType.Uuid), cancellationToken)
            .ConfigureAwait(false);

    public async Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentFilter filter, CancellationToken cancellationToken) =>
        await ListJsonAsync<Incident>("""
            SELECT body FROM monitoring_incidents
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR severity = $2) AND ($3::text IS NULL OR rule_id = $3)
              AND ($4::text IS NULL OR subject = $4) AND ($5::timestamptz IS NULL OR started_at < $5)
            ORDER BY started_at DESC, id DESC LIMIT $6
            """,
            [
                Param(filter.Status, NpgsqlDbType.Text), Param(filter.Severity, NpgsqlDbType.Text), Param(filter.RuleId, NpgsqlDbType.Text),
                Param(filter.Subject, NpgsqlDbType.Text), Param(filter.Before?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                Param(filter.Limit, NpgsqlDbType.Integer),
            ], cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<IncidentEvent>> ListEventsAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT seq, at, kind, message, actor, notification_id, route FROM monitoring_incident_events WHERE incident_id = $1 ORDER BY seq
            """, connection);
        command.Parameters.Add(Param(incidentId, NpgsqlDbType.Uuid));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<IncidentEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new IncidentEvent(incidentId, reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetInt64(0)));
        }
        return events;
    }

    public async Task AppendEventsAsync(IReadOnlyList<IncidentEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        AddEvents(batch, events);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<IncidentNotice>> ListPendingNoticesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT key, incident_id, kind, route, created_at FROM monitoring_notices WHERE done_at IS NULL ORDER BY created_at, key LIMIT $1
            """, connection);
        command.Parameters.Add(Param(limit, NpgsqlDbType.Integer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var notices = new List<IncidentNotice>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            notices.Add(new IncidentNotice(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return notices;
    }

    public async Task<bool> CompleteNoticeAsync(string key, IncidentEvent outcome, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var update = new NpgsqlCommand("UPDATE monitoring_notices SET done_at = $2 WHERE key = $1 AND done_at IS NULL", connection, transaction))
        {
            update.Parameters.Add(Text(key));
            update.Parameters.Add(Time(outcome.At));
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddEvents(batch, [outcome]);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task CreateSilenceAsync(Silence silence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("INSERT INTO monitoring_silences (id, starts_at, ends_at, body) VALUES ($1, $2, $3, $4)", connection);
        command.Parameters.Add(Param(silence.Id, NpgsqlDbType.Uuid));
        command.Parameters.Add(Time(silence.StartsAt));
        command.Parameters.Add(Time(silence.EndsAt));
        command.Parameters.Add(Json(MonitoringJson.Write(silence)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Silence?> GetSilenceAsync(Guid id, CancellationToken cancellationToken) =>
        await ScalarJsonAsync<Silence>("SELECT body FROM monitoring_silences WHERE id = $1", Param(id, NpgsqlDbType.Uuid), cancellationToken)
            .ConfigureAwait(false);

    public async Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset? endsAfter, CancellationToken cancellationToken) =>
        await ListJsonAsync<Silence>("SELECT body FROM monitoring_silences WHERE ($1::timestamptz IS NULL OR ends_at > $1) ORDER BY starts_at, id",
            [Param(endsAfter?.ToUniversalTime(), NpgsqlDbType.TimestampTz)], cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteSilenceAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM monitoring_silences WHERE id = $1", connection);
        command.Parameters.Add(Param(id, NpgsqlDbType.Uuid));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
