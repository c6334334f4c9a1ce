using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchboard.Broker;
using Switchboard.Chat;

namespace Switchboard.Sqlite.Chat;

internal sealed partial class SqliteChatStore
{
    private const string MessageColumns =
        "id, conversation_id, seq, change_seq, sender_id, client_message_id, text, attachments, reply_to, channels, reactions, created_at, edited_at, deleted_at, pos";

    public Task<SendResult?> AppendMessageAsync(NewMessage message, Func<ChatMessage, IReadOnlyList<OutboxEntry>> events, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            if (message.ClientMessageId is { } clientId)
            {
                var find = ctx.Command($"SELECT {MessageColumns} FROM chat_messages WHERE conversation_id = $id AND sender_id = $sender AND client_message_id = $client");
                find.Parameters.AddWithValue("$id", Id(message.ConversationId));
                find.Parameters.AddWithValue("$sender", message.SenderId);
                find.Parameters.AddWithValue("$client", clientId);
                if (ReadMessages(find).FirstOrDefault() is { } original)
                {
                    return new SendResult(original, true);
                }
            }
            // The conversation's row holds the counter: the next seq is taken in the same commit as the message.
            var next = ctx.Command("""
                UPDATE chat_conversations SET last_seq = last_seq + 1, last_activity = max(last_activity, $now)
                WHERE id = $id RETURNING last_seq
                """);
            next.Parameters.AddWithValue("$id", Id(message.ConversationId));
            next.Parameters.AddWithValue("$now", Ms(message.CreatedAt));
            if (next.ExecuteScalar() is not long seq)
            {
                return null;
            }
            var stored = message.ToMessage(seq);
            var insert = ctx.Command("""
                INSERT INTO chat_messages (id, conversation_id, seq, sender_id, client_message_id, text, attachments, reply_to, channels, created_at)
                VALUES ($id, $conversation, $seq, $sender, $client, $text, $attachments, $reply, $channels, $at)
                """);
            insert.Parameters.AddWithValue("$id", Id(message.Id));
            insert.Parameters.AddWithValue("$conversation", Id(message.ConversationId));
            insert.Parameters.AddWithValue("$seq", seq);
            insert.Parameters.AddWithValue("$sender", message.SenderId);
            insert.Parameters.AddWithValue("$client", (object?)message.ClientMessageId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$text", message.Text);
            insert.Parameters.AddWithValue("$attachments", ListJson(message.Attachments));
            insert.Parameters.AddWithValue("$reply", message.ReplyTo is { } reply ? Id(reply) : DBNull.Value);
            insert.Parameters.AddWithValue("$channels", ListJson(message.Channels));
            insert.Parameters.AddWithValue("$at", Ms(message.CreatedAt));
            insert.ExecuteNonQuery();
            foreach (var file in message.Attachments)
            {
                var attach = ctx.Command("INSERT OR IGNORE INTO chat_attachments (file_id, message_id, conversation_id) VALUES ($file, $message, $conversation)");
                attach.Parameters.AddWithValue("$file", Id(file));
                attach.Parameters.AddWithValue("$message", Id(message.Id));
                attach.Parameters.AddWithValue("$conversation", Id(message.ConversationId));
                attach.ExecuteNonQuery();
            }
            Publish(ctx, events(stored));
            return new SendResult(stored, false);
        }, cancellationToken);

    public Task<ChatMessage?> GetMessageAsync(Guid conversationId, Guid messageId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {MessageColumns} FROM chat_messages WHERE id = $id AND conversation_id = $conversation";
            command.Parameters.AddWithValue("$id", Id(messageId));
            command.Parameters.AddWithValue("$conversation", Id(conversationId));
            return ReadMessages(command).FirstOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> ListMessagesAsync(Guid conversationId, long? before, long? after, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ChatMessage>>(connection =>
        {
            using var command = connection.CreateCommand();
            // Without "after" the page is the newest below "before", read backwards and returned in seq order.
            var direction = after is null ? "DESC" : "ASC";
            command.CommandText = $"""
                SELECT {MessageColumns} FROM chat_messages
                WHERE conversation_id = $id AND ($after IS NULL OR seq > $after) AND ($before IS NULL OR seq < $before)
                ORDER BY seq {direction} LIMIT $limit
                """;
            command.Parameters.AddWithValue("$id", Id(conversationId));
            command.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
            command.Parameters.AddWithValue("$before", (object?)before ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            var messages = ReadMessages(command);
            return after is null ? messages.OrderBy(m => m.Seq).ToArray() : messages;
        }, cancellationToken);

    public Task<MessageChanged?> ChangeMessageAsync(Guid conversationId, Guid messageId, Func<ChatMessage, ChatMessage?> change, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var find = ctx.Command($"SELECT {MessageColumns} FROM chat_messages WHERE id = $id AND conversation_id = $conversation");
            find.Parameters.AddWithValue("$id", Id(messageId));
            find.Parameters.AddWithValue("$conversation", Id(conversationId));
            if (ReadMessages(find).FirstOrDefault() is not { } current)
            {
                return null;
            }
            if (change(current) is not { } changed)
            {
                return new MessageChanged(current, false);
            }
            var changeSeq = NextChangeSeq(ctx, conversationId);
            changed = changed with { ChangeSeq = changeSeq };
            var update = ctx.Command("""
                UPDATE chat_messages SET text = $text, attachments = $attachments, reactions = $reactions,
                    edited_at = $edited, deleted_at = $deleted, change_seq = $change
                WHERE id = $id
                """);
            update.Parameters.AddWithValue("$id", Id(messageId));
            update.Parameters.AddWithValue("$text", changed.Text);
            update.Parameters.AddWithValue("$attachments", ListJson(changed.Attachments));
            update.Parameters.AddWithValue("$reactions", changed.Reactions.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(changed.Reactions, Json));
            update.Parameters.AddWithValue("$edited", changed.EditedAt is { } edited ? Ms(edited) : DBNull.Value);
            update.Parameters.AddWithValue("$deleted", changed.DeletedAt is { } deleted ? Ms(deleted) : DBNull.Value);
            update.Parameters.AddWithValue("$change", changeSeq);
            update.ExecuteNonQuery();
            if (changed.Attachments.Count < current.Attachments.Count)
            {
                var detach = ctx.Command("DELETE FROM chat_attachments WHERE message_id = $id");
                detach.Parameters.AddWithValue("$id", Id(messageId));
                detach.ExecuteNonQuery();
                foreach (var file in changed.Attachments)
                {
                    var attach = ctx.Command("INSERT OR IGNORE INTO chat_attachments (file_id, message_id, conversation_id) VALUES ($file, $message, $conversation)");
                    attach.Parameters.AddWithValue("$file", Id(file));
                    attach.Parameters.AddWithValue("$message", Id(messageId));
                    attach.Parameters.AddWithValue("$conversation", Id(conversationId));
                    attach.ExecuteNonQuery();
                }
            }
            return new MessageChanged(changed, true);
        }, cancellationToken);

    private static long NextChangeSeq(SqliteWriteContext ctx, Guid conversationId)
    {
        var next = ctx.Command("UPDATE chat_conversations SET last_change_seq = last_change_seq + 1 WHERE id = $id RETURNING last_change_seq");
        next.Parameters.AddWithValue("$id", Id(conversationId));
        return (long)next.ExecuteScalar()!;
    }

    private static List<ChatMessage> ReadMessages(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var messages = new List<ChatMessage>();
        while (reader.Read())
        {
            messages.Add(MapMessage(reader));
        }
        return messages;
    }

    private static ChatMessage MapMessage(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        Guid.Parse(reader.GetString(1)),
        reader.GetInt64(2),
        reader.GetInt64(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? [] : JsonSerializer.Deserialize<Guid[]>(reader.GetString(7), Json)!,
        reader.IsDBNull(8) ? null : Guid.Parse(reader.GetString(8)),
        reader.IsDBNull(9) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(9), Json)!,
        reader.IsDBNull(10) ? EmptyReactions() : ReadReactions(reader.GetString(10)),
        Time(reader.GetInt64(11)),
        reader.IsDBNull(12) ? null : Time(reader.GetInt64(12)),
        reader.IsDBNull(13) ? null : Time(reader.GetInt64(13)));

    private static Dictionary<string, IReadOnlyList<string>> EmptyReactions() => new(StringComparer.Ordinal);

    private static Dictionary<string, IReadOnlyList<string>> ReadReactions(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(json, Json)!
            .ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);

    private static object ListJson<T>(IReadOnlyList<T> items) => items.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(items, Json);
}
