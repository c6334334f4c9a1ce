using Microsoft.Data.Sqlite;
using Switchboard.Monitoring;

namespace Switchboard.Sqlite.Monitoring;

internal sealed partial class SqliteMonitoringStore
{
    public Task<IReadOnlyList<AlertState>> ListAlertStatesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AlertState>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT rule_id, subject, pending_since, incident_id FROM monitoring_alert_states ORDER BY rule_id, subject";
            using var reader = command.ExecuteReader();
            var states = new List<AlertState>();
            while (reader.Read())
            {
                states.Add(new AlertState(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : Guid.Parse(reader.GetString(3))));
            }
            return states;
        }, cancellationToken);

    public Task SetAlertStateAsync(AlertState? set, AlertStateKey? clear, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx => WriteAlertState(ctx, set, clear), cancellationToken);

    private static void WriteAlertState(SqliteWriteContext ctx, AlertState? set, AlertStateKey? clear)
    {
        if (clear is { } key)
        {
            var delete = ctx.Command("DELETE FROM monitoring_alert_states WHERE rule_id = $rule AND subject = $subject");
            delete.Parameters.AddWithValue("$rule", key.RuleId);
            delete.Parameters.AddWithValue("$subject", key.Subject);
            delete.ExecuteNonQuery();
        }
        if (set is not null)
        {
            var upsert = ctx.Command("""
                INSERT OR REPLACE INTO monitoring_alert_states (rule_id, subject, pending_since, incident_id) VALUES ($rule, $subject, $since, $incident)
                """);
            upsert.Parameters.AddWithValue("$rule", set.RuleId);
            upsert.Parameters.AddWithValue("$subject", set.Subject);
            upsert.Parameters.AddWithValue("$since", set.PendingSince.ToUnixTimeMilliseconds());
            upsert.Parameters.AddWithValue("$incident", set.IncidentId is { } id ? id.ToString() : DBNull.Value);
            upsert.ExecuteNonQuery();
        }
    }

    public Task<bool> ApplyAsync(IncidentChange change, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var incident = change.Incident;
            SqliteCommand write;
            if (change.ExpectedVersion is null)
            {
                write = ctx.Command("""
                    INSERT INTO monitoring_incidents (id, status, severity, rule_id, subject, started_at, version, body)
                    VALUES ($id, $status, $severity, $rule, $subject, $started, $version, $body) ON CONFLICT (id) DO NOTHING
                    """);
                write.Parameters.AddWithValue("$rule", incident.RuleId);
                write.Parameters.AddWithValue("$subject", incident.Subject);
                write.Parameters.AddWithValue("$started", incident.StartedAt.ToUnixTimeMilliseconds());
            }
            else
            {
                write = ctx.Command("""
                    UPDATE monitoring_incidents SET status = $status, severity = $severity, version = $version, body = $body
                    WHERE id = $id AND version = $expected
                    """);
                write.Parameters.AddWithValue("$expected", change.ExpectedVersion.Value);
            }
            write.Parameters.AddWithValue("$id", incident.Id.ToString());
            write.Parameters.AddWithValue("$status", incident.Status);
            write.Parameters.AddWithValue("$severity", incident.Severity);
            write.Parameters.AddWithValue("$version", incident.Version);
            write.Parameters.AddWithValue("$body", MonitoringJson.Write(incident));
            if (write.ExecuteNonQuery() == 0)
            {
                return false;
            }
            WriteEvents(ctx, change.Events);
            foreach (var notice in change.Notices)
            {
                var insert = ctx.Command("""
                    INSERT INTO monitoring_notices (key, incident_id, kind, route, created_at) VALUES ($key, $incident, $kind, $route, $at)
                    ON CONFLICT (key) DO NOTHING
                    """);
                insert.Parameters.AddWithValue("$key", notice.Key);
                insert.Parameters.AddWithValue("$incident", notice.IncidentId.ToString());
                insert.Parameters.AddWithValue("$kind", notice.Kind);
                insert.Parameters.AddWithValue("$route", (object?)notice.Route ?? DBNull.Value);
                insert.Parameters.AddWithValue("$at", notice.CreatedAt.ToUnixTimeMilliseconds());
                insert.ExecuteNonQuery();
            }
            WriteAlertState(ctx, change.SetState, change.ClearState);
            return true;
        }, cancellationToken);

    private static void WriteEvents(SqliteWriteContext ctx, IReadOnlyList<IncidentEvent> events)
    {
        foreach (var e in events)
        {
            var insert = ctx.Command("""
                INSERT INTO monitoring_incident_events (incident_id, at, kind, message, actor, notification_id, route)
                VALUES ($incident, $at, $kind, $message, $actor, $notification, $route)
                """);
            insert.Parameters.AddWithValue("$incident", e.IncidentId.ToString());
            insert.Parameters.AddWithValue("$at", e.At.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$kind", e.Kind);
            insert.Parameters.AddWithValue("$message", e.Message);
            insert.Parameters.AddWithValue("$actor", (object?)e.Actor ?? DBNull.Value);
            insert.Parameters.AddWithValue("$notification", e.NotificationId is { } n ? n.ToString() : DBNull.Value);
            insert.Parameters.AddWithValue("$route", (object?)e.Route ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }
    }

    public Task<Incident?> GetIncidentAsync(Guid id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM monitoring_incidents WHERE id = $id";
            command.Parameters.AddWithValue("$id", id.ToString());
            return command.ExecuteScalar() is string body ? MonitoringJson.Read<Incident>(body) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Incident>> ListIncidentsAsync(IncidentFilter filter, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Incident>>(connection =>
        {
            using var command = connection.CreateCommand();
            var where = new List<string>();
            void Add(string column, string name, object? value)
            {
                if (value is not null)
                {
                    where.Add($"{column} = {name}");
                    command.Parameters.AddWithValue(name, value);
                }
            }
            Add("status", "$status", filter.Status);
            Add("severity", "$severity", filter.Severity);
            Add("rule_id", "$rule", filter.RuleId);
            Add("subject", "$subject", filter.Subject);
            if (filter.Before is { } before)
            {
                where.Add("started_at < $before");
                command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            }
            command.CommandText = $"""
                SELECT body FROM monitoring_incidents {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
                ORDER BY started_at DESC, id DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$limit", filter.Limit);
            using var reader = command.ExecuteReader();
            var incidents = new List<Incident>();
            while (reader.Read())
            {
                incidents.Add(MonitoringJson.Read<Incident>(reader.GetString(0)));
            }
            return incidents;
        }, cancellationToken);

    public Task<IReadOnlyList<IncidentEvent>> ListEventsAsync(Guid incidentId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<IncidentEvent>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT seq, at, kind, message, actor, notification_id, route FROM monitoring_incident_events WHERE incident_id = $id ORDER BY seq
                """;
            command.Parameters.AddWithValue("$id", incidentId.ToString());
            using var reader = command.ExecuteReader();
            var events = new List<IncidentEvent>();
            while (reader.Read())
            {
                events.Add(new IncidentEvent(incidentId, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : Guid.Parse(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(0)));
            }
            return events;
        }, cancellationToken);

    public Task AppendEventsAsync(IReadOnlyList<IncidentEvent> events, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx => WriteEvents(ctx, events), cancellationToken);

    public Task<IReadOnlyList<IncidentNotice>> ListPendingNoticesAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<IncidentNotice>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT key, incident_id, kind, route, created_at FROM monitoring_notices WHERE done_at IS NULL ORDER BY created_at, key LIMIT $limit
                """;
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var notices = new List<IncidentNotice>();
            while (reader.Read())
            {
                notices.Add(new IncidentNotice(reader.GetString(0), Guid.Parse(reader.GetString(1)), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }
            return notices;
        }, cancellationToken);

    public Task<bool> CompleteNoticeAsync(string key, IncidentEvent outcome, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var update = ctx.Command("UPDATE monitoring_notices SET done_at = $at WHERE key = $key AND done_at IS NULL");
            update.Parameters.AddWithValue("$key", key);
            update.Parameters.AddWithValue("$at", outcome.At.ToUnixTimeMilliseconds());
            if (update.ExecuteNonQuery() == 0)
            {
                return false;
            }
            WriteEvents(ctx, [outcome]);
            return true;
        }, cancellationToken);

    public Task CreateSilenceAsync(Silence silence, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var insert = ctx.Command("INSERT INTO monitoring_silences (id, starts_at, ends_at, body) VALUES ($id, $starts, $ends, $body)");
            insert.Parameters.AddWithValue("$id", silence.Id.ToString());
            insert.Parameters.AddWithValue("$starts", silence.StartsAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$ends", silence.EndsAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$body", MonitoringJson.Write(silence));
            insert.ExecuteNonQuery();
        }, cancellationToken);

    public Task<Silence?> GetSilenceAsync(Guid id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM monitoring_silences WHERE id = $id";
            command.Parameters.AddWithValue("$id", id.ToString());
            return command.ExecuteScalar() is string body ? MonitoringJson.Read<Silence>(body) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset? endsAfter, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Silence>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM monitoring_silences WHERE ends_at > $after ORDER BY starts_at, id";
            command.Parameters.AddWithValue("$after", endsAfter?.ToUnixTimeMilliseconds() ?? long.MinValue);
            using var reader = command.ExecuteReader();
            var silences = new List<Silence>();
            while (reader.Read())
            {
                silences.Add(MonitoringJson.Read<Silence>(reader.GetString(0)));
            }
            return silences;
        }, cancellationToken);

    public Task<bool> DeleteSilenceAsync(Guid id, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var delete = ctx.Command("DELETE FROM monitoring_silences WHERE id = $id");
            delete.Parameters.AddWithValue("$id", id.ToString());
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);
}
