using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;
using Switchboard.Chat;

namespace Switchboard.Postgres.Chat;

internal sealed partial class PostgresChatStore
{
    private const string MessageColumns =
        "id, conversation_id, seq, change_seq, sender_id, client_message_id, text, attachments, reply_to, channels, reactions, created_at, edited_at, deleted_at, pos";

    public async Task<SendResult?> AppendMessageAsync(NewMessage message, Func<ChatMessage, IReadOnlyList<OutboxEntry>> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (message.ClientMessageId is not null && await FindByClientIdAsync(connection, null, message, cancellationToken).ConfigureAwait(false) is { } retry)
        {
            return new SendResult(retry, true);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Taking the next seq locks the conversation's row until commit: senders on every node take turns, gaplessly.
        long seq;
        await using (var next = new NpgsqlCommand("""
            UPDATE chat_conversations SET last_seq = last_seq + 1, last_activity = greatest(last_activity, $2)
            WHERE id = $1 RETURNING last_seq
            """, connection, transaction))
        {
            next.Parameters.Add(Uuid(message.ConversationId));
            next.Parameters.Add(Time(message.CreatedAt));
            if (await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long assigned)
            {
                return null;
            }
            seq = assigned;
        }
        // A concurrent retry that held the lock before us has committed by now, and this statement sees it.
        if (message.ClientMessageId is not null && await FindByClientIdAsync(connection, transaction, message, cancellationToken).ConfigureAwait(false) is { } original)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new SendResult(original, true);
        }
        var stored = message.ToMessage(seq);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO chat_messages (id, conversation_id, seq, sender_id, client_message_id, text, attachments, reply_to, channels, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, connection, transaction))
        {
            insert.Parameters.Add(Uuid(message.Id));
            insert.Parameters.Add(Uuid(message.ConversationId));
            insert.Parameters.Add(Param(seq, NpgsqlDbType.Bigint));
            insert.Parameters.Add(Text(message.SenderId));
            insert.Parameters.Add(Param(message.ClientMessageId, NpgsqlDbType.Text));
            insert.Parameters.Add(Text(message.Text));
            insert.Parameters.Add(Param(message.Attachments.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid));
            insert.Parameters.Add(Param(message.ReplyTo, NpgsqlDbType.Uuid));
            insert.Parameters.Add(Param(message.Channels.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));
            insert.Parameters.Add(Time(message.CreatedAt));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await AttachAsync(connection, transaction, message.ConversationId, message.Id, message.Attachments, cancellationToken).ConfigureAwait(false);
        await PublishAsync(connection, transaction, events(stored), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SendResult(stored, false);
    }

    public async Task<ChatMessage?> GetMessageAsync(Guid conversationId, Guid messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await GetMessageAsync(connection, null, conversationId, messageId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ChatMessage>> ListMessagesAsync(Guid conversationId, long? before, long? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Without "after" the page is the newest below "before", read backwards and returned in seq order.
        var direction = after is null ? "DESC" : "ASC";
        await using var command = new NpgsqlCommand($"""
            SELECT {MessageColumns} FROM chat_messages
            WHERE conversation_id = $1 AND ($2::bigint IS NULL OR seq > $2) AND ($3::bigint IS NULL OR seq < $3)
            ORDER BY seq {direction} LIMIT $4
            """, connection);
        command.Parameters.Add(Uuid(conversationId));
        command.Parameters.Add(Param(after, NpgsqlDbType.Bigint));
        command.Parameters.Add(Param(before, NpgsqlDbType.Bigint));
        command.Parameters.Add(Param(limit, NpgsqlDbType.Integer));
        var messages = await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
        return after is null ? messages.OrderBy(m => m.Seq).ToArray() : messages;
    }

    public async Task<MessageChanged?> ChangeMessageAsync(Guid conversationId, Guid messageId, Func<ChatMessage, ChatMessage?> change, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Lock the conversation first, as every writer of its log does, then read the message under that lock.
        if (await ScalarAsync<long>(connection, transaction, "SELECT last_change_seq FROM chat_conversations WHERE id = $1 FOR UPDATE", conversationId, cancellationToken)
            .ConfigureAwait(false) is null)
        {
            return null;
        }
        if (await GetMessageAsync(connection, transaction, conversationId, messageId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }
        if (change(current) is not { } changed)
        {
            return new MessageChanged(current, false);
        }
        var changeSeq = await NextChangeSeqAsync(connection, transaction, conversationId, cancellationToken).ConfigureAwait(false);
        changed = changed with { ChangeSeq = changeSeq };
        await using (var update = new NpgsqlCommand("""
            UPDATE chat_messages SET text = $2, attachments = $3, reactions = $4, edited_at = $5, deleted_at = $6, change_seq = $7
            WHERE id = $1
            """, connection, transaction))
        {
            update.Parameters.Add(Uuid(messageId));
            update.Parameters.Add(Text(changed.Text));
            update.Parameters.Add(Param(changed.Attachments.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid));
            update.Parameters.Add(Param(changed.Reactions.Count == 0 ? null : JsonSerializer.Serialize(changed.Reactions, Json), NpgsqlDbType.Jsonb));
            update.Parameters.Add(Param(changed.EditedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            update.Parameters.Add(Param(changed.DeletedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            update.Parameters.Add(Param(changeSeq, NpgsqlDbType.Bigint));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (changed.Attachments.Count < current.Attachments.Count)
        {
            await using (var detach = new NpgsqlCommand("DELETE FROM chat_attachments WHERE message_id = $1", connection, transaction))
            {
                detach.Parameters.Add(Uuid(messageId));
                await detach.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await AttachAsync(connection, transaction, conversationId, messageId, changed.Attachments, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new MessageChanged(changed, true);
    }

    private static async Task AttachAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid conversationId, Guid messageId, IReadOnlyList<Guid> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return;
        }
        await using var attach = new NpgsqlCommand("""
            INSERT INTO chat_attachments (file_id, message_id, conversation_id)
            SELECT f, $2, $3 FROM unnest($1::uuid[]) AS f ON CONFLICT DO NOTHING
            """, connection, transaction);
        attach.Parameters.Add(Param(files.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid));
        attach.Parameters.Add(Uuid(messageId));
        attach.Parameters.Add(Uuid(conversationId));
        await attach.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> NextChangeSeqAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var next = new NpgsqlCommand(
            "UPDATE chat_conversations SET last_change_seq = last_change_seq + 1 WHERE id = $1 RETURNING last_change_seq", connection, transaction);
        next.Parameters.Add(Uuid(conversationId));
        return (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<ChatMessage?> FindByClientIdAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, NewMessage message, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand($"""
            SELECT {MessageColumns} FROM chat_messages WHERE conversation_id = $1 AND sender_id = $2 AND client_message_id = $3
            """, connection, transaction);
        find.Parameters.Add(Uuid(message.ConversationId));
        find.Parameters.Add(Text(message.SenderId));
        find.Parameters.Add(Text(message.ClientMessageId!));
        return (await ReadMessagesAsync(find, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private static async Task<ChatMessage?> GetMessageAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid conversationId, Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {MessageColumns} FROM chat_messages WHERE id = $1 AND conversation_id = $2", connection, transaction);
        command.Parameters.Add(Uuid(messageId));
        command.Parameters.Add(Uuid(conversationId));
        return (await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private static async Task<List<ChatMessage>> ReadMessagesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<ChatMessage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(MapMessage(reader, 0));
        }
        return messages;
    }

    private static ChatMessage MapMessage(NpgsqlDataReader reader, int at) => new(
        reader.GetGuid(at),
        reader.GetGuid(at + 1),
        reader.GetInt64(at + 2),
        reader.GetInt64(at + 3),
        reader.GetString(at + 4),
        reader.IsDBNull(at + 5) ? null : reader.GetString(at + 5),
        reader.GetString(at + 6),
        reader.GetFieldValue<Guid[]>(at + 7),
        reader.IsDBNull(at + 8) ? null : reader.GetGuid(at + 8),
        reader.GetFieldValue<string[]>(at + 9),
        reader.IsDBNull(at + 10) ? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) : ReadReactions(reader.GetString(at + 10)),
        reader.GetFieldValue<DateTimeOffset>(at + 11),
        reader.IsDBNull(at + 12) ? null : reader.GetFieldValue<DateTimeOffset>(at + 12),
        reader.IsDBNull(at + 13) ? null : reader.GetFieldValue<DateTimeOffset>(at + 13));

    private static Dictionary<string, IReadOnlyList<string>> ReadReactions(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(json, Json)!
            .ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
}
