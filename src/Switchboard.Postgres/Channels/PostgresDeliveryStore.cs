using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Channels;

namespace Switchboard.Postgres.Channels;

/// <summary>
/// Deliveries on the scale-out engine. The forward-only status rule is the <c>WHERE</c> clause of one <c>UPDATE</c>,
/// atomic on its row, so nodes reporting the same delivery at once cannot move it backwards.
/// </summary>
internal sealed class PostgresDeliveryStore(PostgresDatabase database) : IDeliveryStore
{
    private const string Columns = """
        id, notification_id, conversation_id, message_id, sender_id, route, hop, addresses, title, text, severity, priority,
        status, provider_id, error_code, error_message, created_at, updated_at, attachments, template
        """;

    // A forward move, or failed before anything was delivered (ranks: sent 2, failed 9). @rank is the new status's rank.
    private const string MovesForward = "((@rank = 9 AND status_rank <= 2) OR (@rank < 9 AND status_rank < @rank))";

    public async Task<Guid?> CreateNotificationAsync(NotificationRecord notification, IReadOnlyList<Delivery> deliveries, string? dedupKey,
        DateTimeOffset cooldownUntil, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (dedupKey is not null)
        {
            // Claims the key unless a live cooldown holds it; the row lock makes concurrent repeats take turns.
            await using var claim = new NpgsqlCommand("""
                INSERT INTO channel_dedup (dedup_key, notification_id, until) VALUES (@key, @id, @until)
                ON CONFLICT (dedup_key) DO UPDATE SET notification_id = excluded.notification_id, until = excluded.until
                    WHERE channel_dedup.until <= @now
                RETURNING notification_id
                """, connection, transaction);
            claim.Parameters.AddWithValue("key", dedupKey);
            claim.Parameters.AddWithValue("id", notification.Id);
            claim.Parameters.AddWithValue("until", cooldownUntil.ToUniversalTime());
            claim.Parameters.AddWithValue("now", now.ToUniversalTime());
            if (await claim.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await using var holder = new NpgsqlCommand("SELECT notification_id FROM channel_dedup WHERE dedup_key = @key", connection, transaction);
                holder.Parameters.AddWithValue("key", dedupKey);
                var earlier = (Guid)(await holder.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return earlier;
            }
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO channel_notifications (id, title, content, severity, priority, dedup_key, created_by, created_at)
            VALUES (@id, @title, @content, @severity, @priority, @key, @by, @at)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", notification.Id);
            insert.Parameters.AddWithValue("title", notification.Title);
            insert.Parameters.AddWithValue("content", notification.Content);
            insert.Parameters.AddWithValue("severity", notification.Severity);
            insert.Parameters.AddWithValue("priority", notification.Priority);
            insert.Parameters.Add(Nullable("key", notification.DedupKey, NpgsqlDbType.Text));
            insert.Parameters.AddWithValue("by", notification.CreatedBy);
            insert.Parameters.AddWithValue("at", notification.CreatedAt.ToUniversalTime());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await InsertDeliveriesAsync(connection, transaction, deliveries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }

    public async Task<int> CreateDeliveriesAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var created = await InsertDeliveriesAsync(connection, transaction, deliveries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<NotificationRecord?> GetNotificationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT id, title, content, severity, priority, dedup_key, created_by, created_at FROM channel_notifications WHERE id = @id
            """, connection);
        command.Parameters.AddWithValue("id", id);
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new NotificationRecord(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7))
            : null;
    }

    public async Task<Delivery?> GetDeliveryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOneAsync(connection, null, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(Guid notificationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM channel_deliveries WHERE notification_id = @id ORDER BY created_at, id", connection);
        command.Parameters.AddWithValue("id", notificationId);
        return await ReadDeliveriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(IReadOnlyCollection<Guid> deliveryIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT delivery_id, channel, at, outcome, latency_ms, status_code, error_code, error_message
            FROM channel_attempts WHERE delivery_id = ANY(@ids) ORDER BY seq
            """, connection);
        command.Parameters.AddWithValue("ids", deliveryIds.ToArray());
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var attempts = new List<DeliveryAttempt>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(new DeliveryAttempt(r.GetGuid(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        }
        return attempts;
    }

    public async Task<DeliveryChange?> UpdateAsync(DeliveryUpdate update, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var touch = new NpgsqlCommand("""
            UPDATE channel_deliveries SET
                hop = coalesce(@hop, hop),
                channel = CASE WHEN @hop IS NULL THEN channel ELSE route ->> @hop END,
                provider_id = coalesce(provider_id, @provider),
                updated_at = @at
            WHERE id = @id
            """, connection, transaction))
        {
            touch.Parameters.Add(Nullable("hop", update.Hop, NpgsqlDbType.Integer));
            touch.Parameters.Add(Nullable("provider", update.ProviderId, NpgsqlDbType.Text));
            touch.Parameters.AddWithValue("at", update.At.ToUniversalTime());
            touch.Parameters.AddWithValue("id", update.Id);
            if (await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }
        }
        await InsertAttemptsAsync(connection, transaction, update.Attempts, cancellationToken).ConfigureAwait(false);
        var changed = update.Status is not null && await MoveStatusAsync(connection, transaction, "id = @id",
            p => p.AddWithValue("id", update.Id), update.Status, update.ErrorCode, update.ErrorMessage, update.At, cancellationToken).ConfigureAwait(false) > 0;
        var delivery = await ReadOneAsync(connection, transaction, update.Id, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new DeliveryChange(delivery!, changed);
    }

    public async Task<DeliveryChange?> UpdateByProviderIdAsync(string channel, string providerId, string status, string? errorCode, string? errorMessage,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        Guid id;
        await using (var find = new NpgsqlCommand("SELECT id FROM channel_deliveries WHERE channel = @channel AND provider_id = @provider", connection, transaction))
        {
            find.Parameters.AddWithValue("channel", channel);
            find.Parameters.AddWithValue("provider", providerId);
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not Guid found)
            {
                return null;
            }
            id = found;
        }
        var changed = await MoveStatusAsync(connection, transaction, "id = @id", p => p.AddWithValue("id", id), status, errorCode, errorMessage, at,
            cancellationToken).ConfigureAwait(false) > 0;
        var delivery = await ReadOneAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new DeliveryChange(delivery!, changed);
    }

    public async Task MarkAsync(IReadOnlyCollection<Guid> ids, string from, string to, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await MoveStatusAsync(connection, null, "id = ANY(@ids) AND status = @from", p =>
        {
            p.AddWithValue("ids", ids.ToArray());
            p.AddWithValue("from", from);
        }, to, null, null, at, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ReopenAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The one backward move, and only from failed: an operator replays a dead letter.
        await using var reopen = new NpgsqlCommand($"""
            UPDATE channel_deliveries SET status = '{DeliveryStatus.Queued}', status_rank = 1, hop = 0, channel = route ->> 0,
                provider_id = NULL, error_code = NULL, error_message = NULL, updated_at = @at
            WHERE id = @id AND status = '{DeliveryStatus.Failed}'
            """, connection);
        reopen.Parameters.AddWithValue("at", at.ToUniversalTime());
        reopen.Parameters.AddWithValue("id", id);
        return await reopen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<Delivery>> ListStaleAsync(string status, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM channel_deliveries WHERE status = @status AND updated_at < @before ORDER BY updated_at LIMIT @limit", connection);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        return await ReadDeliveriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AttemptSample>> ListAttemptSamplesAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT channel, outcome, latency_ms FROM channel_attempts WHERE at >= @since ORDER BY seq DESC LIMIT @limit", connection);
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var samples = new List<AttemptSample>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add(new AttemptSample(r.GetString(0), r.GetString(1) == DeliveryAttempt.Sent, r.GetInt64(2)));
        }
        return samples;
    }

    private static async Task<int> MoveStatusAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where,
        Action<NpgsqlParameterCollection> bind, string status, string? errorCode, string? errorMessage, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var move = new NpgsqlCommand($"""
            UPDATE channel_deliveries SET status = @status, status_rank = @rank, error_code = @code, error_message = @message, updated_at = @at
            WHERE {where} AND {MovesForward}
            """, connection, transaction);
        bind(move.Parameters);
        move.Parameters.AddWithValue("status", status);
        move.Parameters.AddWithValue("rank", DeliveryStatus.Rank(status));
        move.Parameters.Add(Nullable("code", errorCode, NpgsqlDbType.Text));
        move.Parameters.Add(Nullable("message", errorMessage, NpgsqlDbType.Text));
        move.Parameters.AddWithValue("at", at.ToUniversalTime());
        return await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> InsertDeliveriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Delivery> deliveries,
        CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return 0;
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var d in deliveries)
        {
            var insert = new NpgsqlBatchCommand($"""
                INSERT INTO channel_deliveries ({Columns}, channel, status_rank)
                VALUES (@id, @notification, @conversation, @message, @sender, @route, @hop, @addresses, @title, @text, @severity, @priority,
                        @status, @provider, @code, @error, @created, @updated, @attachments, @template, @channel, @rank)
                ON CONFLICT (id) DO NOTHING
                """);
            var p = insert.Parameters;
            p.AddWithValue("id", d.Id);
            p.Add(Nullable("notification", d.NotificationId, NpgsqlDbType.Uuid));
            p.Add(Nullable("conversation", d.ConversationId, NpgsqlDbType.Uuid));
            p.Add(Nullable("message", d.MessageId, NpgsqlDbType.Uuid));
            p.Add(Nullable("sender", d.SenderId, NpgsqlDbType.Text));
            p.Add(new NpgsqlParameter("route", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(d.Route) });
            p.AddWithValue("hop", d.Hop);
            p.Add(new NpgsqlParameter("addresses", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(d.Addresses) });
            p.Add(Nullable("title", d.Title, NpgsqlDbType.Text));
            p.AddWithValue("text", d.Text);
            p.AddWithValue("severity", d.Severity);
            p.AddWithValue("priority", d.Priority);
            p.AddWithValue("status", d.Status);
            p.Add(Nullable("provider", d.ProviderId, NpgsqlDbType.Text));
            p.Add(Nullable("code", d.ErrorCode, NpgsqlDbType.Text));
            p.Add(Nullable("error", d.ErrorMessage, NpgsqlDbType.Text));
            p.AddWithValue("created", d.CreatedAt.ToUniversalTime());
            p.AddWithValue("updated", d.UpdatedAt.ToUniversalTime());
            p.Add(Nullable("attachments", DeliveryContentJson.Attachments(d.Attachments), NpgsqlDbType.Jsonb));
            p.Add(Nullable("template", DeliveryContentJson.Template(d.Template), NpgsqlDbType.Jsonb));
            p.AddWithValue("channel", d.Channel);
            p.AddWithValue("rank", DeliveryStatus.Rank(d.Status));
            batch.BatchCommands.Add(insert);
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.CloseAsync().ConfigureAwait(false);
        var created = 0;
        foreach (var command in batch.BatchCommands)
        {
            created += command.RecordsAffected;
        }
        return created;
    }

    private static async Task InsertAttemptsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<DeliveryAttempt> attempts,
        CancellationToken cancellationToken)
    {
        if (attempts.Count == 0)
        {
            return;
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var a in attempts)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO channel_attempts (delivery_id, channel, at, outcome, latency_ms, status_code, error_code, error_message)
                VALUES (@delivery, @channel, @at, @outcome, @latency, @status, @code, @message)
                """);
            var p = insert.Parameters;
            p.AddWithValue("delivery", a.DeliveryId);
            p.AddWithValue("channel", a.Channel);
            p.AddWithValue("at", a.At.ToUniversalTime());
            p.AddWithValue("outcome", a.Outcome);
            p.AddWithValue("latency", a.LatencyMs);
            p.Add(Nullable("status", a.StatusCode, NpgsqlDbType.Integer));
            p.Add(Nullable("code", a.ErrorCode, NpgsqlDbType.Text));
            p.Add(Nullable("message", a.ErrorMessage, NpgsqlDbType.Text));
            batch.BatchCommands.Add(insert);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Delivery?> ReadOneAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM channel_deliveries WHERE id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", id);
        return (await ReadDeliveriesAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private static async Task<IReadOnlyList<Delivery>> ReadDeliveriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var deliveries = new List<Delivery>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deliveries.Add(new Delivery(
                r.GetGuid(0),
                r.IsDBNull(1) ? null : r.GetGuid(1),
                r.IsDBNull(2) ? null : r.GetGuid(2),
                r.IsDBNull(3) ? null : r.GetGuid(3),
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
                r.GetFieldValue<DateTimeOffset>(16),
                r.GetFieldValue<DateTimeOffset>(17),
                r.IsDBNull(18) ? null : DeliveryContentJson.ReadAttachments(r.GetString(18)),
                r.IsDBNull(19) ? null : DeliveryContentJson.ReadTemplate(r.GetString(19))));
        }
        return deliveries;
    }

    private static NpgsqlParameter Nullable<T>(string name, T? value, NpgsqlDbType type) =>
        new(name, type) { Value = (object?)value ?? DBNull.Value };
}
