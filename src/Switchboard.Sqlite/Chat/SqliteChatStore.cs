using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Chat;
using Switchboard.Sqlite.Broker;

namespace Switchboard.Sqlite.Chat;

/// <summary>
/// Chat on the embedded engine. Every write is one operation of the group-commit writer, which runs one operation at
/// a time: a check made at its start still holds when it writes, so seq and changeSeq are gapless per conversation,
/// a private pair gets one conversation and a client message id one message. Outbox entries are published inside the
/// same operation, so they commit with it or not at all. Reads use pooled read-only connections.
/// </summary>
internal sealed partial class SqliteChatStore(SqliteDatabase database, SqliteBrokerStore broker) : IChatStore
{
    private const string ConversationColumns =
        "c.id, c.kind, c.name, c.topic, c.description, c.created_by, c.created_at, c.updated_at, c.last_seq, c.last_change_seq, c.member_count, " +
        "c.contact_channel, c.contact_address";

    private const string MemberColumns = "conversation_id, user_id, role, joined_at, read_seq, delivered_seq";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ConversationCreated> CreateConversationAsync(NewConversation input, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            if (input.PairKey is { } pairKey && FindPrivate(ctx.Command($"SELECT {ConversationColumns} FROM chat_conversations c WHERE c.pair_key = $pair"), pairKey) is { } existing)
            {
                return new ConversationCreated(existing, false);
            }
            var c = input.Conversation;
            var insert = ctx.Command("""
                INSERT INTO chat_conversations (id, kind, name, topic, description, pair_key, created_by, created_at, updated_at, last_activity, member_count,
                    contact_channel, contact_address)
                VALUES ($id, $kind, $name, $topic, $description, $pair, $by, $at, $at, $at, $count, $contactChannel, $contactAddress)
                """);
            insert.Parameters.AddWithValue("$id", Id(c.Id));
            insert.Parameters.AddWithValue("$kind", ChatNames.Kind(c.Kind));
            insert.Parameters.AddWithValue("$name", (object?)c.Name ?? DBNull.Value);
            insert.Parameters.AddWithValue("$topic", (object?)c.Topic ?? DBNull.Value);
            insert.Parameters.AddWithValue("$description", (object?)c.Description ?? DBNull.Value);
            insert.Parameters.AddWithValue("$pair", (object?)input.PairKey ?? DBNull.Value);
            insert.Parameters.AddWithValue("$by", c.CreatedBy);
            insert.Parameters.AddWithValue("$at", Ms(c.CreatedAt));
            insert.Parameters.AddWithValue("$count", input.Members.Count);
            insert.Parameters.AddWithValue("$contactChannel", (object?)c.Contact?.Channel ?? DBNull.Value);
            insert.Parameters.AddWithValue("$contactAddress", (object?)c.Contact?.Address ?? DBNull.Value);
            insert.ExecuteNonQuery();
            var order = 0;
            foreach (var member in input.Members)
            {
                InsertMember(ctx, member, ++order);
            }
            Publish(ctx, events);
            return new ConversationCreated(c with { MemberCount = input.Members.Count }, true);
        }, cancellationToken);

    public Task<Conversation?> GetConversationAsync(Guid id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => GetConversation(connection, id), cancellationToken);

    public Task<Conversation?> FindPrivateAsync(string pairKey, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {ConversationColumns} FROM chat_conversations c WHERE c.pair_key = $pair";
            return FindPrivate(command, pairKey);
        }, cancellationToken);

    public Task<Conversation?> UpdateConversationAsync(Guid id, UpdateConversation update, DateTimeOffset now, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var command = ctx.Command("""
                UPDATE chat_conversations SET
                    name = CASE WHEN $name IS NULL THEN name ELSE NULLIF($name, '') END,
                    topic = CASE WHEN $topic IS NULL THEN topic ELSE NULLIF($topic, '') END,
                    description = CASE WHEN $description IS NULL THEN description ELSE NULLIF($description, '') END,
                    updated_at = $now
                WHERE id = $id
                """);
            command.Parameters.AddWithValue("$id", Id(id));
            command.Parameters.AddWithValue("$name", (object?)update.Name ?? DBNull.Value);
            command.Parameters.AddWithValue("$topic", (object?)update.Topic ?? DBNull.Value);
            command.Parameters.AddWithValue("$description", (object?)update.Description ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", Ms(now));
            if (command.ExecuteNonQuery() == 0)
            {
                return null;
            }
            Publish(ctx, events);
            return GetConversation(ctx, id);
        }, cancellationToken);

    public Task<bool> DeleteConversationAsync(Guid id, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            // Members, messages, attachments and index entries go with it (cascades and triggers), in this commit.
            var command = ctx.Command("DELETE FROM chat_conversations WHERE id = $id");
            command.Parameters.AddWithValue("$id", Id(id));
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }
            Publish(ctx, events);
            return true;
        }, cancellationToken);

    public Task<ConversationMember?> GetMemberAsync(Guid conversationId, string userId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {MemberColumns} FROM chat_members WHERE conversation_id = $id AND user_id = $user";
            return ReadMember(command, conversationId, userId);
        }, cancellationToken);

    public Task<IReadOnlyList<ConversationMember>> ListMembersAsync(Guid conversationId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ConversationMember>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {MemberColumns} FROM chat_members WHERE conversation_id = $id ORDER BY joined_order";
            command.Parameters.AddWithValue("$id", Id(conversationId));
            using var reader = command.ExecuteReader();
            var members = new List<ConversationMember>();
            while (reader.Read())
            {
                members.Add(MapMember(reader));
            }
            return members;
        }, cancellationToken);

    public Task<MemberChange> AddMemberAsync(ConversationMember member, int maxMembers, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var count = ctx.Command("SELECT member_count FROM chat_conversations WHERE id = $id");
            count.Parameters.AddWithValue("$id", Id(member.ConversationId));
            if (count.ExecuteScalar() is not long members)
            {
                return MemberChange.ConversationNotFound;
            }
            if (ReadMember(ctx.Command($"SELECT {MemberColumns} FROM chat_members WHERE conversation_id = $id AND user_id = $user"), member.ConversationId, member.UserId) is not null)
            {
                return MemberChange.AlreadyMember;
            }
            if (members >= maxMembers)
            {
                return MemberChange.TooManyMembers;
            }
            var order = ctx.Command("SELECT coalesce(max(joined_order), 0) + 1 FROM chat_members WHERE conversation_id = $id");
            order.Parameters.AddWithValue("$id", Id(member.ConversationId));
            InsertMember(ctx, member, (long)order.ExecuteScalar()!);
            AdjustMemberCount(ctx, member.ConversationId, +1);
            Publish(ctx, events);
            return MemberChange.Added;
        }, cancellationToken);

    public Task<MemberChange> RemoveMemberAsync(Guid conversationId, string userId, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            if (GetConversation(ctx, conversationId) is null)
            {
                return MemberChange.ConversationNotFound;
            }
            var member = ReadMember(ctx.Command($"SELECT {MemberColumns} FROM chat_members WHERE conversation_id = $id AND user_id = $user"), conversationId, userId);
            if (member is null)
            {
                return MemberChange.NotMember;
            }
            var delete = ctx.Command("DELETE FROM chat_members WHERE conversation_id = $id AND user_id = $user");
            delete.Parameters.AddWithValue("$id", Id(conversationId));
            delete.Parameters.AddWithValue("$user", userId);
            delete.ExecuteNonQuery();
            AdjustMemberCount(ctx, conversationId, -1);
            if (member.Role == MemberRole.Owner)
            {
                // The longest-standing admin, else member, takes over.
                var promote = ctx.Command("""
                    UPDATE chat_members SET role = 'owner'
                    WHERE conversation_id = $id AND user_id = (
                        SELECT user_id FROM chat_members WHERE conversation_id = $id
                        ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_order LIMIT 1)
                    """);
                promote.Parameters.AddWithValue("$id", Id(conversationId));
                promote.ExecuteNonQuery();
            }
            Publish(ctx, events);
            return MemberChange.Removed;
        }, cancellationToken);

    public Task<IReadOnlyList<MemberConversation>> ListForMemberAsync(string userId, ConversationCursor? after, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<MemberConversation>>(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                SELECT {ConversationColumns}, m.role, c.last_activity,
                    (SELECT count(*) FROM chat_messages x
                     WHERE x.conversation_id = c.id AND x.seq > m.read_seq AND x.sender_id <> m.user_id AND x.deleted_at IS NULL)
                FROM chat_members m JOIN chat_conversations c ON c.id = m.conversation_id
                WHERE m.user_id = $user
                  AND ($activity IS NULL OR c.last_activity < $activity OR (c.last_activity = $activity AND c.id < $after))
                ORDER BY c.last_activity DESC, c.id DESC
                LIMIT $limit
                """;
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$activity", after is null ? DBNull.Value : Ms(after.Activity));
            command.Parameters.AddWithValue("$after", after is null ? DBNull.Value : Id(after.Id));
            command.Parameters.AddWithValue("$limit", limit);
            var rows = new List<(Conversation Conversation, MemberRole Role, DateTimeOffset Activity, long Unread)>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((MapConversation(reader), ChatNames.ParseRole(reader.GetString(13)), Time(reader.GetInt64(14)), reader.GetInt64(15)));
                }
            }
            using var last = connection.CreateCommand();
            last.Transaction = transaction;
            last.CommandText = $"SELECT {MessageColumns} FROM chat_messages WHERE conversation_id = $id AND seq = $seq";
            return rows.Select(r =>
            {
                ChatMessage? message = null;
                if (r.Conversation.LastSeq > 0)
                {
                    last.Parameters.Clear();
                    last.Parameters.AddWithValue("$id", Id(r.Conversation.Id));
                    last.Parameters.AddWithValue("$seq", r.Conversation.LastSeq);
                    message = ReadMessages(last).FirstOrDefault();
                }
                return new MemberConversation(new ConversationSummary(r.Conversation, r.Role, message, r.Unread), r.Activity);
            }).ToArray();
        }, cancellationToken);

    public Task<IReadOnlyList<Conversation>> ListRoomsAsync(Guid? after, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Conversation>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {ConversationColumns} FROM chat_conversations c
                WHERE c.kind = 'room' AND ($after IS NULL OR c.id > $after)
                ORDER BY c.id LIMIT $limit
                """;
            command.Parameters.AddWithValue("$after", after is null ? DBNull.Value : Id(after.Value));
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var rooms = new List<Conversation>();
            while (reader.Read())
            {
                rooms.Add(MapConversation(reader));
            }
            return rooms;
        }, cancellationToken);

    private void Publish(SqliteWriteContext ctx, IReadOnlyList<OutboxEntry> events)
    {
        if (events.Count > 0)
        {
            broker.PublishWithin(ctx, events);
        }
    }

    private static void InsertMember(SqliteWriteContext ctx, ConversationMember member, long order)
    {
        var insert = ctx.Command("""
            INSERT INTO chat_members (conversation_id, user_id, role, joined_at, joined_order)
            VALUES ($id, $user, $role, $at, $order)
            """);
        insert.Parameters.AddWithValue("$id", Id(member.ConversationId));
        insert.Parameters.AddWithValue("$user", member.UserId);
        insert.Parameters.AddWithValue("$role", ChatNames.Role(member.Role));
        insert.Parameters.AddWithValue("$at", Ms(member.JoinedAt));
        insert.Parameters.AddWithValue("$order", order);
        insert.ExecuteNonQuery();
    }

    private static void AdjustMemberCount(SqliteWriteContext ctx, Guid conversationId, int delta)
    {
        var update = ctx.Command("UPDATE chat_conversations SET member_count = member_count + $delta WHERE id = $id");
        update.Parameters.AddWithValue("$id", Id(conversationId));
        update.Parameters.AddWithValue("$delta", delta);
        update.ExecuteNonQuery();
    }

    private static Conversation? GetConversation(SqliteConnection connection, Guid id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ConversationColumns} FROM chat_conversations c WHERE c.id = $id";
        command.Parameters.AddWithValue("$id", Id(id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? MapConversation(reader) : null;
    }

    private static Conversation? GetConversation(SqliteWriteContext ctx, Guid id)
    {
        var command = ctx.Command($"SELECT {ConversationColumns} FROM chat_conversations c WHERE c.id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? MapConversation(reader) : null;
    }

    private static Conversation? FindPrivate(SqliteCommand command, string pairKey)
    {
        command.Parameters.AddWithValue("$pair", pairKey);
        using var reader = command.ExecuteReader();
        return reader.Read() ? MapConversation(reader) : null;
    }

    private static ConversationMember? ReadMember(SqliteCommand command, Guid conversationId, string userId)
    {
        command.Parameters.AddWithValue("$id", Id(conversationId));
        command.Parameters.AddWithValue("$user", userId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? MapMember(reader) : null;
    }

    private static Conversation MapConversation(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        ChatNames.ParseKind(reader.GetString(1)),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        Time(reader.GetInt64(6)),
        Time(reader.GetInt64(7)),
        reader.GetInt64(8),
        reader.GetInt64(9),
        reader.GetInt32(10),
        reader.IsDBNull(11) ? null : new ChannelContact(reader.GetString(11), reader.GetString(12)));

    private static ConversationMember MapMember(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        reader.GetString(1),
        ChatNames.ParseRole(reader.GetString(2)),
        Time(reader.GetInt64(3)),
        reader.GetInt64(4),
        reader.GetInt64(5));

    private static string Id(Guid id) => id.ToString("D");

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
