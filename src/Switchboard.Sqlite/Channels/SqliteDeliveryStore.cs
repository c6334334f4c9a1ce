using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchboard.Channels;

namespace Switchboard.Sqlite.Channels;

/// <summary>
/// Deliveries on the embedded engine. Every write runs in the group-commit writer; the forward-only status rule is the
/// <c>WHERE</c> clause of the status update, so a stale or repeated report changes nothing.
/// </summary>
internal sealed class SqliteDeliveryStore(SqliteDatabase database) : IDeliveryStore
{
    private const string Columns = """
        id, notification_id, conversation_id, message_id, sender_id, route, hop, addresses, title, text, severity, priority,
        status, provider_id, error_code, error_message, created_at, updated_at, attachments, template
        """;

    // A forward move, or failed before anything was delivered (ranks: sent 2, failed 9).
    private const string MovesForward = "(($rank = 9 AND status_rank <= 2) OR ($rank < 9 AND status_rank < $rank))";

    public Task<Guid?> CreateNotificationAsync(NotificationRecord notification, IReadOnlyList<Delivery> deliveries, string? dedupKey,
        DateTimeOffset cooldownUntil, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync<Guid?>(ctx =>
        {
            if (dedupKey is not null)
            {
                var existing = ctx.Command("SELECT notification_id FROM channel_dedup WHERE dedup_key = $key AND until > $now");
                existing.Parameters.AddWithValue("$key", dedupKey);
                existing.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                if (existing.ExecuteScalar() is string earlier)
                {
                    return Guid.Parse(earlier);
                }
                var claim = ctx.Command("""
                    INSERT INTO channel_dedup (dedup_key, notification_id, until) VALUES ($key, $id, $until)
                    ON CONFLICT (dedup_key) DO UPDATE SET notification_id = excluded.notification_id, until = excluded.until
                    """);
                claim.Parameters.AddWithValue("$key", dedupKey);
                claim.Parameters.AddWithValue("$id", notification.Id.ToString());
                claim.Parameters.AddWithValue("$until", cooldownUntil.ToUnixTimeMilliseconds());
                claim.ExecuteNonQuery();
            }
            var insert = ctx.Command("""
                INSERT INTO channel_notifications (id, title, content, severity, priority, dedup_key, created_by, created_at)
                VALUES ($id, $title, $content, $severity, $priority, $key, $by, $at)
                """);
            insert.Parameters.AddWithValue("$id", notification.Id.ToString());
            insert.Parameters.AddWithValue("$title", notification.Title);
            insert.Parameters.AddWithValue("$content", notification.Content);
            insert.Parameters.AddWithValue("$severity", notification.Severity);
            insert.Parameters.AddWithValue("$priority", notification.Priority);
            insert.Parameters.AddWithValue("$key", (object?)notification.DedupKey ?? DBNull.Value);
            insert.Parameters.AddWithValue("$by", notification.CreatedBy);
            insert.Parameters.AddWithValue("$at", notification.CreatedAt.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
            InsertDeliveries(ctx, deliveries);
            return null;
        }, cancellationToken);

    public Task<int> CreateDeliveriesAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx => InsertDeliveries(ctx, deliveries), cancellationToken);

    public Task<NotificationRecord?> GetNotificationAsync(Guid id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT id, title, content, severity, priority, dedup_key, created_by, created_at
                FROM channel_notifications WHERE id = $id
                """;
            command.Parameters.AddWithValue("$id", id.ToString());
            using var r = command.ExecuteReader();
            return r.Read()
                ? new NotificationRecord(Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4),
                    r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)))
                : null;
        }, cancellationToken);

    public Task<Delivery?> GetDeliveryAsync(Guid id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM channel_deliveries WHERE id = $id";
            command.Parameters.AddWithValue("$id", id.ToString());
            return ReadDeliveries(command).FirstOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(Guid notificationId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM channel_deliveries WHERE notification_id = $id ORDER BY created_at, id";
            command.Parameters.AddWithValue("$id", notificationId.ToString());
            return ReadDeliveries(command);
        }, cancellationToken);

    public Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(IReadOnlyCollection<Guid> deliveryIds, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<DeliveryAttempt>>(connection =>
        {
            var attempts = new List<DeliveryAttempt>();
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT delivery_id, channel, at, outcome, latency_ms, status_code, error_code, error_message
                FROM channel_attempts WHERE delivery_id = $id ORDER BY seq
                """;
            var parameter = command.Parameters.Add("$id", SqliteType.Text);
            foreach (var id in deliveryIds)
            {
                parameter.Value = id.ToString();
                using var r = command.ExecuteReader();
                while (r.Read())
                {
                    attempts.Add(new DeliveryAttempt(Guid.Parse(r.GetString(0)), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                        r.GetString(3), r.GetInt64(4), r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetString(6),
                        r.IsDBNull(7) ? null : r.GetString(7)));
                }
            }
            return attempts;
        }, cancellationToken);

    public Task<DeliveryChange?> UpdateAsync(DeliveryUpdate update, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var id = update.Id.ToString();
            var touch = ctx.Command("""
                UPDATE channel_deliveries SET
                    hop = coalesce($hop, hop),
                    channel = CASE WHEN $hop IS NULL THEN channel ELSE json_extract(route, '$[' || $hop || ']') END,
                    provider_id = coalesce(provider_id, $provider),
                    updated_at = $at
                WHERE id = $id
                """);
            touch.Parameters.AddWithValue("$hop", (object?)update.Hop ?? DBNull.Value);
            touch.Parameters.AddWithValue("$provider", (object?)update.ProviderId ?? DBNull.Value);
            touch.Parameters.AddWithValue("$at", update.At.ToUnixTimeMilliseconds());
            touch.Parameters.AddWithValue("$id", id);
            if (touch.ExecuteNonQuery() == 0)
            {
                return null;
            }
            InsertAttempts(ctx, update.Attempts);
            var changed = update.Status is not null && MoveStatus(ctx, "id = $id", p => p.AddWithValue("$id", id), update.Status,
                update.ErrorCode, update.ErrorMessage, update.At) > 0;
            return new DeliveryChange(ReadOne(ctx, id)!, changed);
        }, cancellationToken);

    public Task<DeliveryChange?> UpdateByProviderIdAsync(string channel, string providerId, string status, string? errorCode, string? errorMessage,
        DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var find = ctx.Command("SELECT id FROM channel_deliveries WHERE channel = $channel AND provider_id = $provider");
            find.Parameters.AddWithValue("$channel", channel);
            find.Parameters.AddWithValue("$provider", providerId);
            if (find.ExecuteScalar() is not string id)
            {
                return null;
            }
            var changed = MoveStatus(ctx, "id = $id", p => p.AddWithValue("$id", id), status, errorCode, errorMessage, at) > 0;
            return new DeliveryChange(ReadOne(ctx, id)!, changed);
        }, cancellationToken);

    public Task MarkAsync(IReadOnlyCollection<Guid> ids, string from, string to, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var id in ids)
            {
                MoveStatus(ctx, "id = $id AND status = $from", p =>
                {
                    p.AddWithValue("$id", id.ToString());
                    p.AddWithValue("$from", from);
                }, to, null, null, at);
            }
        }, cancellationToken);

    public Task<bool> ReopenAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            // The one backward move, and only from failed: an operator replays a dead letter.
            var reopen = ctx.Command($"""
                UPDATE channel_deliveries SET status = '{DeliveryStatus.Queued}', status_rank = 1, hop = 0,
                    channel = json_extract(route, '$[0]'), provider_id = NULL, error_code = NULL, error_message = NULL, updated_at = $at
                WHERE id = $id AND status = '{DeliveryStatus.Failed}'
                """);
            reopen.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            reopen.Parameters.AddWithValue("$id", id.ToString());
            return reopen.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<Delivery>> ListStaleAsync(string status, DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM channel_deliveries WHERE status = $status AND updated_at < $before ORDER BY updated_at LIMIT $limit";
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
            return ReadDeliveries(command);
        }, cancellationToken);

    public Task<IReadOnlyList<AttemptSample>> ListAttemptSamplesAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AttemptSample>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT channel, outcome, latency_ms FROM channel_attempts WHERE at >= $since ORDER BY seq DESC LIMIT $limit";
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
            using var r = command.ExecuteReader();
            var samples = new List<AttemptSample>();
            while (r.Read())
            {
                samples.Add(new AttemptSample(r.GetString(0), r.GetString(1) == DeliveryAttempt.Sent, r.GetInt64(2)));
            }
            return samples;
        }, cancellationToken);

    private static int MoveStatus(SqliteWriteContext ctx, string where, Action<SqliteParameterCollection> bind, string status,
        string? errorCode, string? errorMessage, DateTimeOffset at)
    {
        var move = ctx.Command($"""
            UPDATE channel_deliveries SET status = $status, status_rank = $rank, error_code = $code, error_message = $message, updated_at = $at
            WHERE {where} AND {MovesForward}
            """);
        bind(move.Parameters);
        move.Parameters.AddWithValue("$status", status);
        move.Parameters.AddWithValue("$rank", DeliveryStatus.Rank(status));
        move.Parameters.AddWithValue("$code", (object?)errorCode ?? DBNull.Value);
        move.Parameters.AddWithValue("$message", (object?)errorMessage ?? DBNull.Value);
        move.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return move.ExecuteNonQuery();
    }

    private static int InsertDeliveries(SqliteWriteContext ctx, IReadOnlyList<Delivery> deliveries)
    {
        var created = 0;
        foreach (var d in deliveries)
        {
            var insert = ctx.Command($"""
                INSERT INTO channel_deliveries ({Columns}, channel, status_rank)
                VALUES ($id, $notification, $conversation, $message, $sender, $route, $hop, $addresses, $title, $text, $severity, $priority,
                        $status, $provider, $code, $error, $created, $updated, $attachments, $template, $channel, $rank)
                ON CONFLICT (id) DO NOTHING
                """);
            var p = insert.Parameters;
            p.AddWithValue("$id", d.Id.ToString());
            p.AddWithValue("$notification", (object?)d.NotificationId?.ToString() ?? DBNull.Value);
            p.AddWithValue("$conversation", (object?)d.ConversationId?.ToString() ?? DBNull.Value);
            p.AddWithValue("$message", (object?)d.MessageId?.ToString() ?? DBNull.Value);
            p.AddWithValue("$sender", (object?)d.SenderId ?? DBNull.Value);
            p.AddWithValue("$route", JsonSerializer.Serialize(d.Route));
            p.AddWithValue("$hop", d.Hop);
            p.AddWithValue("$addresses", JsonSerializer.Serialize(d.Addresses));
            p.AddWithValue("$title", (object?)d.Title ?? DBNull.Value);
            p.AddWithValue("$text", d.Text);
            p.AddWithValue("$severity", d.Severity);
            p.AddWithValue("$priority", d.Priority);
            p.AddWithValue("$status", d.Status);
            p.AddWithValue("$provider", (object?)d.ProviderId ?? DBNull.Value);
            p.AddWithValue("$code", (object?)d.ErrorCode ?? DBNull.Value);
            p.AddWithValue("$error", (object?)d.ErrorMessage ?? DBNull.Value);
            p.AddWithValue("$created", d.CreatedAt.ToUnixTimeMilliseconds());
            p.AddWithValue("$updated", d.UpdatedAt.ToUnixTimeMilliseconds());
            p.AddWithValue("$attachments", (object?)DeliveryContentJson.Attachments(d.Attachments) ?? DBNull.Value);
            p.AddWithValue("$template", (object?)DeliveryContentJson.Template(d.Template) ?? DBNull.Value);
            p.AddWithValue("$channel", d.Channel);
            p.AddWithValue("$rank", DeliveryStatus.Rank(d.Status));
            created += insert.ExecuteNonQuery();
        }
        return created;
    }

    private static void InsertAttempts(SqliteWriteContext ctx, IReadOnlyList<DeliveryAttempt> attempts)
    {
        foreach (var a in attempts)
        {
            var insert = ctx.Command("""
                INSERT INTO channel_attempts (delivery_id, channel, at, outcome, latency_ms, status_code, error_code, error_message)
                VALUES ($delivery, $channel, $at, $outcome, $latency, $status, $code, $message)
                """);
            var p = insert.Parameters;
            p.AddWithValue("$delivery", a.DeliveryId.ToString());
            p.AddWithValue("$channel", a.Channel);
            p.AddWithValue("$at", a.At.ToUnixTimeMilliseconds());
            p.AddWithValue("$outcome", a.Outcome);
            p.AddWithValue("$latency", a.LatencyMs);
            p.AddWithValue("$status", (object?)a.StatusCode ?? DBNull.Value);
            p.AddWithValue("$code", (object?)a.ErrorCode ?? DBNull.Value);
            p.AddWithValue("$message", (object?)a.ErrorMessage ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }
    }

    private static Delivery? ReadOne(SqliteWriteContext ctx, string id)
    {
        var command = ctx.Command($"SELECT {Columns} FROM channel_deliveries WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        return ReadDeliveries(command).FirstOrDefault();
    }

    private static IReadOnlyList<Delivery> ReadDeliveries(SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        var deliveries = new List<Delivery>();
        while (r.Read())
        {
            deliveries.Add(new Delivery(
                Guid.Parse(r.GetString(0)),
                r.IsDBNull(1) ? null : Guid.Parse(r.GetString(1)),
                r.IsDBNull(2) ? null : Guid.Parse(r.GetString(2)),
                r.IsDBNull(3) ? null : Guid.Parse(r.GetString(3)),
                r.IsDBNull(4) ? null : r.GetString(4),
                JsonSerializer.Deserialize<string[]>(r.GetString(5))!,
                r.GetInt32(6),
                JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(7))!,
                r.IsDBNull(8) ? null : r.GetString(8),
                r.GetString(9),
                r.GetString(10),
                r.GetInt32(11),
                r.GetString(12),
                r.IsDBNull(13) ? null : r.GetString(13),
                r.IsDBNull(14) ? null : r.GetString(14),
                r.IsDBNull(15) ? null : r.GetString(15),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(16)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(17)),
                r.IsDBNull(18) ? null : DeliveryContentJson.ReadAttachments(r.GetString(18)),
                r.IsDBNull(19) ? null : DeliveryContentJson.ReadTemplate(r.GetString(19))));
        }
        return deliveries;
    }
}
