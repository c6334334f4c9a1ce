using System.Data;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Chat;

namespace Switchboard.Postgres.Chat;

internal sealed partial class PostgresChatStore
{
    public async Task<ReceiptChanged?> MoveWatermarksAsync(Guid conversationId, string userId, long? readSeq, long? deliveredSeq, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var last = await ScalarAsync<long>(connection, transaction, "SELECT last_seq FROM chat_conversations WHERE id = $1 FOR UPDATE", conversationId, cancellationToken)
            .ConfigureAwait(false);
        if (last is null)
        {
            return null;
        }
        long read, delivered;
        DateTimeOffset at;
        await using (var find = new NpgsqlCommand("""
            SELECT read_seq, delivered_seq, coalesce(receipt_at, joined_at) FROM chat_members WHERE conversation_id = $1 AND user_id = $2
            """, connection, transaction))
        {
            find.Parameters.Add(Uuid(conversationId));
            find.Parameters.Add(Text(userId));
            await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            (read, delivered, at) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2));
        }
        var newRead = Math.Max(read, Math.Min(readSeq ?? 0, last.Value));
        var newDelivered = Math.Max(Math.Max(delivered, Math.Min(deliveredSeq ?? 0, last.Value)), newRead);
        if (newRead == read && newDelivered == delivered)
        {
            return new ReceiptChanged(new ReadReceipt(conversationId, userId, read, delivered, at), false);
        }
        var changeSeq = await NextChangeSeqAsync(connection, transaction, conversationId, cancellationToken).ConfigureAwait(false);
        await using (var update = new NpgsqlCommand("""
            UPDATE chat_members SET read_seq = $3, delivered_seq = $4, receipt_change_seq = $5, receipt_at = $6
            WHERE conversation_id = $1 AND user_id = $2
            """, connection, transaction))
        {
            update.Parameters.Add(Uuid(conversationId));
            update.Parameters.Add(Text(userId));
            update.Parameters.Add(Param(newRead, NpgsqlDbType.Bigint));
            update.Parameters.Add(Param(newDelivered, NpgsqlDbType.Bigint));
            update.Parameters.Add(Param(changeSeq, NpgsqlDbType.Bigint));
            update.Parameters.Add(Time(now));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ReceiptChanged(new ReadReceipt(conversationId, userId, newRead, newDelivered, now), true);
    }

    public async Task<SyncResult?> SyncAsync(Guid conversationId, long afterSeq, long afterChangeSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for every query, so the numbers returned match the rows.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        long lastSeq, lastChangeSeq;
        await using (var command = new NpgsqlCommand("SELECT last_seq, last_change_seq FROM chat_conversations WHERE id = $1", connection, transaction))
        {
            command.Parameters.Add(Uuid(conversationId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            (lastSeq, lastChangeSeq) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        List<ChatMessage> messages;
        await using (var command = new NpgsqlCommand($"SELECT {MessageColumns} FROM chat_messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", connection, transaction))
        {
            command.Parameters.Add(Uuid(conversationId));
            command.Parameters.Add(Param(afterSeq, NpgsqlDbType.Bigint));
            command.Parameters.Add(Param(limit + 1, NpgsqlDbType.Integer));
            messages = await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
        }
        var hasMore = messages.Count > limit;
        if (hasMore)
        {
            messages.RemoveAt(limit);
        }
        List<ChatMessage> changed;
        await using (var command = new NpgsqlCommand($"""
            SELECT {MessageColumns} FROM chat_messages WHERE conversation_id = $1 AND change_seq > $3 AND seq <= $2 ORDER BY seq
            """, connection, transaction))
        {
            command.Parameters.Add(Uuid(conversationId));
            command.Parameters.Add(Param(afterSeq, NpgsqlDbType.Bigint));
            command.Parameters.Add(Param(afterChangeSeq, NpgsqlDbType.Bigint));
            changed = await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
        }
        var receipts = new List<ReadReceipt>();
        await using (var command = new NpgsqlCommand("""
            SELECT user_id, read_seq, delivered_seq, coalesce(receipt_at, joined_at) FROM chat_members
            WHERE conversation_id = $1 AND receipt_change_seq > $2 ORDER BY user_id
            """, connection, transaction))
        {
            command.Parameters.Add(Uuid(conversationId));
            command.Parameters.Add(Param(afterChangeSeq, NpgsqlDbType.Bigint));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                receipts.Add(new ReadReceipt(conversationId, reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SyncResult(messages, changed, receipts, lastSeq, lastChangeSeq, hasMore);
    }
}
