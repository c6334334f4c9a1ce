using Switchboard.Chat;

namespace Switchboard.Sqlite.Chat;

internal sealed partial class SqliteChatStore
{
    public Task<ReceiptChanged?> MoveWatermarksAsync(Guid conversationId, string userId, long? readSeq, long? deliveredSeq, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var find = ctx.Command("""
                SELECT m.read_seq, m.delivered_seq, coalesce(m.receipt_at, m.joined_at), c.last_seq
                FROM chat_members m JOIN chat_conversations c ON c.id = m.conversation_id
                WHERE m.conversation_id = $id AND m.user_id = $user
                """);
            find.Parameters.AddWithValue("$id", Id(conversationId));
            find.Parameters.AddWithValue("$user", userId);
            long read, delivered, at, last;
            using (var reader = find.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }
                (read, delivered, at, last) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            }
            var newRead = Math.Max(read, Math.Min(readSeq ?? 0, last));
            var newDelivered = Math.Max(Math.Max(delivered, Math.Min(deliveredSeq ?? 0, last)), newRead);
            if (newRead == read && newDelivered == delivered)
            {
                return new ReceiptChanged(new ReadReceipt(conversationId, userId, read, delivered, Time(at)), false);
            }
            var changeSeq = NextChangeSeq(ctx, conversationId);
            var update = ctx.Command("""
                UPDATE chat_members SET read_seq = $read, delivered_seq = $delivered, receipt_change_seq = $change, receipt_at = $now
                WHERE conversation_id = $id AND user_id = $user
                """);
            update.Parameters.AddWithValue("$id", Id(conversationId));
            update.Parameters.AddWithValue("$user", userId);
            update.Parameters.AddWithValue("$read", newRead);
            update.Parameters.AddWithValue("$delivered", newDelivered);
            update.Parameters.AddWithValue("$change", changeSeq);
            update.Parameters.AddWithValue("$now", Ms(now));
            update.ExecuteNonQuery();
            return new ReceiptChanged(new ReadReceipt(conversationId, userId, newRead, newDelivered, now), true);
        }, cancellationToken);

    public Task<SyncResult?> SyncAsync(Guid conversationId, long afterSeq, long afterChangeSeq, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            // One read transaction: every query sees the same snapshot, so the numbers returned match the rows.
            using var transaction = connection.BeginTransaction(deferred: true);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT last_seq, last_change_seq FROM chat_conversations WHERE id = $id";
            command.Parameters.AddWithValue("$id", Id(conversationId));
            long lastSeq, lastChangeSeq;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }
                (lastSeq, lastChangeSeq) = (reader.GetInt64(0), reader.GetInt64(1));
            }
            command.CommandText = $"SELECT {MessageColumns} FROM chat_messages WHERE conversation_id = $id AND seq > $after ORDER BY seq LIMIT $limit";
            command.Parameters.AddWithValue("$after", afterSeq);
            command.Parameters.AddWithValue("$limit", limit + 1);
            var messages = ReadMessages(command);
            var hasMore = messages.Count > limit;
            if (hasMore)
            {
                messages.RemoveAt(limit);
            }
            command.CommandText = $"""
                SELECT {MessageColumns} FROM chat_messages
                WHERE conversation_id = $id AND change_seq > $afterChange AND seq <= $after ORDER BY seq
                """;
            command.Parameters.AddWithValue("$afterChange", afterChangeSeq);
            var changed = ReadMessages(command);
            command.CommandText = """
                SELECT user_id, read_seq, delivered_seq, coalesce(receipt_at, joined_at) FROM chat_members
                WHERE conversation_id = $id AND receipt_change_seq > $afterChange ORDER BY user_id
                """;
            var receipts = new List<ReadReceipt>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    receipts.Add(new ReadReceipt(conversationId, reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), Time(reader.GetInt64(3))));
                }
            }
            return new SyncResult(messages, changed, receipts, lastSeq, lastChangeSeq, hasMore);
        }, cancellationToken);
}
