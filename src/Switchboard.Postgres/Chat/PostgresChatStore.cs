using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Chat;
using Switchboard.Postgres.Broker;

namespace Switchboard.Postgres.Chat;

/// <summary>
/// Chat on the scale-out engine. Every write of a conversation's log first locks the conversation's row (an
/// <c>UPDATE … RETURNING</c> of its counter, or <c>FOR UPDATE</c>), so writers on every node take turns: seq and
/// changeSeq are gapless, member limits hold. A private pair and a client message id are unique keys. Outbox entries
/// are published inside the same transaction. Reads take no locks.
/// </summary>
internal sealed partial class PostgresChatStore(PostgresDatabase database, PostgresBrokerStore broker) : IChatStore
{
    private const string ConversationColumns =
        "c.id, c.kind, c.name, c.topic, c.description, c.created_by, c.created_at, c.updated_at, c.last_seq, c.last_change_seq, c.member_count, " +
        "c.contact_channel, c.contact_address";

    private const string MemberColumns = "conversation_id, user_id, role, joined_at, read_seq, delivered_seq";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ConversationCreated> CreateConversationAsync(NewConversation input, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var c = input.Conversation;
        // A concurrent create of the same pair waits here for the other to commit, then inserts nothing.
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO chat_conversations (id, kind, name, topic, description, pair_key, created_by, created_at, updated_at, last_activity, member_count,
                contact_channel, contact_address)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $9, $10, $11)
            ON CONFLICT (pair_key) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.Add(Uuid(c.Id));
            insert.Parameters.Add(Text(ChatNames.Kind(c.Kind)));
            insert.Parameters.Add(Param(c.Name, NpgsqlDbType.Text));
            insert.Parameters.Add(Param(c.Topic, NpgsqlDbType.Text));
            insert.Parameters.Add(Param(c.Description, NpgsqlDbType.Text));
            insert.Parameters.Add(Param(input.PairKey, NpgsqlDbType.Text));
            insert.Parameters.Add(Text(c.CreatedBy));
            insert.Parameters.Add(Time(c.CreatedAt));
            insert.Parameters.Add(Param(input.Members.Count, NpgsqlDbType.Integer));
            insert.Parameters.Add(Param(c.Contact?.Channel, NpgsqlDbType.Text));
            insert.Parameters.Add(Param(c.Contact?.Address, NpgsqlDbType.Text));
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await using var find = new NpgsqlCommand($"SELECT {ConversationColumns} FROM chat_conversations c WHERE c.pair_key = $1", connection, transaction);
                find.Parameters.Add(Text(input.PairKey!));
                var existing = await ReadConversationAsync(find, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("A private conversation conflicted on its pair and then vanished.");
                return new ConversationCreated(existing, false);
            }
        }
        var order = 0;
        foreach (var member in input.Members)
        {
            await InsertMemberAsync(connection, transaction, member, ++order, cancellationToken).ConfigureAwait(false);
        }
        await PublishAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ConversationCreated(c with { MemberCount = input.Members.Count }, true);
    }

    public async Task<Conversation?> GetConversationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await GetConversationAsync(connection, null, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Conversation?> FindPrivateAsync(string pairKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {ConversationColumns} FROM chat_conversations c WHERE c.pair_key = $1", connection);
        command.Parameters.Add(Text(pairKey));
        return await ReadConversationAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Conversation?> UpdateConversationAsync(Guid id, UpdateConversation update, DateTimeOffset now, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            UPDATE chat_conversations c SET
                name = CASE WHEN $2::text IS NULL THEN c.name ELSE NULLIF($2, '') END,
                topic = CASE WHEN $3::text IS NULL THEN c.topic ELSE NULLIF($3, '') END,
                description = CASE WHEN $4::text IS NULL THEN c.description ELSE NULLIF($4, '') END,
                updated_at = $5
            WHERE c.id = $1
            RETURNING {ConversationColumns}
            """, connection, transaction);
        command.Parameters.Add(Uuid(id));
        command.Parameters.Add(Param(update.Name, NpgsqlDbType.Text));
        command.Parameters.Add(Param(update.Topic, NpgsqlDbType.Text));
        command.Parameters.Add(Param(update.Description, NpgsqlDbType.Text));
        command.Parameters.Add(Time(now));
        var updated = await ReadConversationAsync(command, cancellationToken).ConfigureAwait(false);
        if (updated is null)
        {
            return null;
        }
        await PublishAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<bool> DeleteConversationAsync(Guid id, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Members, messages and attachments go with it through ON DELETE CASCADE, in this transaction.
        await using var command = new NpgsqlCommand("DELETE FROM chat_conversations WHERE id = $1", connection, transaction);
        command.Parameters.Add(Uuid(id));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }
        await PublishAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<ConversationMember?> GetMemberAsync(Guid conversationId, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await GetMemberAsync(connection, null, conversationId, userId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConversationMember>> ListMembersAsync(Guid conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {MemberColumns} FROM chat_members WHERE conversation_id = $1 ORDER BY joined_order", connection);
        command.Parameters.Add(Uuid(conversationId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var members = new List<ConversationMember>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            members.Add(MapMember(reader));
        }
        return members;
    }

    public async Task<MemberChange> AddMemberAsync(ConversationMember member, int maxMembers, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The row lock makes concurrent adds take turns, so the limit holds.
        var count = await ScalarAsync<int>(connection, transaction, "SELECT member_count FROM chat_conversations WHERE id = $1 FOR UPDATE", member.ConversationId, cancellationToken)
            .ConfigureAwait(false);
        if (count is null)
        {
            return MemberChange.ConversationNotFound;
        }
        if (await GetMemberAsync(connection, transaction, member.ConversationId, member.UserId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return MemberChange.AlreadyMember;
        }
        if (count >= maxMembers)
        {
            return MemberChange.TooManyMembers;
        }
        var order = await ScalarAsync<long>(connection, transaction, "SELECT coalesce(max(joined_order), 0) + 1 FROM chat_members WHERE conversation_id = $1", member.ConversationId, cancellationToken)
            .ConfigureAwait(false);
        await InsertMemberAsync(connection, transaction, member, order!.Value, cancellationToken).ConfigureAwait(false);
        await AdjustMemberCountAsync(connection, transaction, member.ConversationId, +1, cancellationToken).ConfigureAwait(false);
        await PublishAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return MemberChange.Added;
    }

    public async Task<MemberChange> RemoveMemberAsync(Guid conversationId, string userId, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await ScalarAsync<int>(connection, transaction, "SELECT member_count FROM chat_conversations WHERE id = $1 FOR UPDATE", conversationId, cancellationToken)
            .ConfigureAwait(false) is null)
        {
            return MemberChange.ConversationNotFound;
        }
        string role;
        await using (var delete = new NpgsqlCommand("DELETE FROM chat_members WHERE conversation_id = $1 AND user_id = $2 RETURNING role", connection, transaction))
        {
            delete.Parameters.Add(Uuid(conversationId));
            delete.Parameters.Add(Text(userId));
            if (await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string removed)
            {
                return MemberChange.NotMember;
            }
            role = removed;
        }
        await AdjustMemberCountAsync(connection, transaction, conversationId, -1, cancellationToken).ConfigureAwait(false);
        if (ChatNames.ParseRole(role) == MemberRole.Owner)
        {
            // The longest-standing admin, else member, takes over.
            await using var promote = new NpgsqlCommand("""
                UPDATE chat_members SET role = 'owner'
                WHERE conversation_id = $1 AND user_id = (
                    SELECT user_id FROM chat_members WHERE conversation_id = $1
                    ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_order LIMIT 1)
                """, connection, transaction);
            promote.Parameters.Add(Uuid(conversationId));
            await promote.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await PublishAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return MemberChange.Removed;
    }

    public async Task<IReadOnlyList<MemberConversation>> ListForMemberAsync(string userId, ConversationCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            SELECT {ConversationColumns}, m.role, c.last_activity,
                (SELECT count(*) FROM chat_messages x
                 WHERE x.conversation_id = c.id AND x.seq > m.read_seq AND x.sender_id <> m.user_id AND x.deleted_at IS NULL),
                {Prefixed("l.", MessageColumns)}
            FROM chat_members m
            JOIN chat_conversations c ON c.id = m.conversation_id
            LEFT JOIN chat_messages l ON l.conversation_id = c.id AND l.seq = c.last_seq
            WHERE m.user_id = $1
              AND ($2::timestamptz IS NULL OR c.last_activity < $2 OR (c.last_activity = $2 AND c.id < $3))
            ORDER BY c.last_activity DESC, c.id DESC
            LIMIT $4
            """, connection);
        command.Parameters.Add(Text(userId));
        command.Parameters.Add(Param(after?.Activity.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Param(after?.Id, NpgsqlDbType.Uuid));
        command.Parameters.Add(Param(limit, NpgsqlDbType.Integer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<MemberConversation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var last = reader.IsDBNull(16) ? null : MapMessage(reader, 16);
            rows.Add(new MemberConversation(
                new ConversationSummary(MapConversation(reader), ChatNames.ParseRole(reader.GetString(13)), last, reader.GetInt64(15)),
                reader.GetFieldValue<DateTimeOffset>(14)));
        }
        return rows;
    }

    public async Task<IReadOnlyList<Conversation>> ListRoomsAsync(Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            SELECT {ConversationColumns} FROM chat_conversations c
            WHERE c.kind = 'room' AND ($1::uuid IS NULL OR c.id > $1)
            ORDER BY c.id LIMIT $2
            """, connection);
        command.Parameters.Add(Param(after, NpgsqlDbType.Uuid));
        command.Parameters.Add(Param(limit, NpgsqlDbType.Integer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rooms = new List<Conversation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rooms.Add(MapConversation(reader));
        }
        return rooms;
    }

    private async Task PublishAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        if (events.Count > 0)
        {
            await broker.PublishWithinAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task InsertMemberAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConversationMember member, long order, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO chat_members (conversation_id, user_id, role, joined_at, joined_order) VALUES ($1, $2, $3, $4, $5)
            """, connection, transaction);
        insert.Parameters.Add(Uuid(member.ConversationId));
        insert.Parameters.Add(Text(member.UserId));
        insert.Parameters.Add(Text(ChatNames.Role(member.Role)));
        insert.Parameters.Add(Time(member.JoinedAt));
        insert.Parameters.Add(Param(order, NpgsqlDbType.Bigint));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task AdjustMemberCountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid conversationId, int delta, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("UPDATE chat_conversations SET member_count = member_count + $2 WHERE id = $1", connection, transaction);
        update.Parameters.Add(Uuid(conversationId));
        update.Parameters.Add(Param(delta, NpgsqlDbType.Integer));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Guid id, CancellationToken cancellationToken)
        where T : struct
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(Uuid(id));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is T value ? value : null;
    }

    private static async Task<Conversation?> GetConversationAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {ConversationColumns} FROM chat_conversations c WHERE c.id = $1", connection, transaction);
        command.Parameters.Add(Uuid(id));
        return await ReadConversationAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Conversation?> ReadConversationAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? MapConversation(reader) : null;
    }

    private static async Task<ConversationMember?> GetMemberAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid conversationId, string userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {MemberColumns} FROM chat_members WHERE conversation_id = $1 AND user_id = $2", connection, transaction);
        command.Parameters.Add(Uuid(conversationId));
        command.Parameters.Add(Text(userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? MapMember(reader) : null;
    }

    private static Conversation MapConversation(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        ChatNames.ParseKind(reader.GetString(1)),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetFieldValue<DateTimeOffset>(7),
        reader.GetInt64(8),
        reader.GetInt64(9),
        reader.GetInt32(10),
        reader.IsDBNull(11) ? null : new ChannelContact(reader.GetString(11), reader.GetString(12)));

    private static ConversationMember MapMember(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        ChatNames.ParseRole(reader.GetString(2)),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetInt64(4),
        reader.GetInt64(5));

    private static string Prefixed(string prefix, string columns) =>
        string.Join(", ", columns.Split(", ").Select(c => prefix + c));

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Uuid(Guid value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Param(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
