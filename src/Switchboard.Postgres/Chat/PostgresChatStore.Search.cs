using Npgsql;
using NpgsqlTypes;
using Switchboard.Chat;

namespace Switchboard.Postgres.Chat;

internal sealed partial class PostgresChatStore
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string userId, IReadOnlyList<string> words, Guid? conversationId, long? beforePosition, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // plainto_tsquery reads its text as plain words joined by AND: no input is query syntax.
        await using var command = new NpgsqlCommand($"""
            SELECT {Prefixed("m.", MessageColumns)}
            FROM chat_messages m
            JOIN chat_members mem ON mem.conversation_id = m.conversation_id AND mem.user_id = $1
            WHERE m.search @@ plainto_tsquery('simple', $2) AND m.deleted_at IS NULL
              AND ($3::uuid IS NULL OR m.conversation_id = $3)
              AND ($4::bigint IS NULL OR m.pos < $4)
            ORDER BY m.pos DESC LIMIT $5
            """, connection);
        command.Parameters.Add(Text(userId));
        command.Parameters.Add(Text(string.Join(' ', words)));
        command.Parameters.Add(Param(conversationId, NpgsqlDbType.Uuid));
        command.Parameters.Add(Param(beforePosition, NpgsqlDbType.Bigint));
        command.Parameters.Add(Param(limit, NpgsqlDbType.Integer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var hits = new List<SearchHit>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hits.Add(new SearchHit(MapMessage(reader, 0), reader.GetInt64(14)));
        }
        return hits;
    }

    public async Task<IReadOnlyList<string>> PeersOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT other.user_id
            FROM chat_members me
            JOIN chat_conversations c ON c.id = me.conversation_id AND c.kind IN ('private', 'group')
            JOIN chat_members other ON other.conversation_id = me.conversation_id AND other.user_id <> me.user_id
            WHERE me.user_id = $1
            ORDER BY other.user_id
            """, connection);
        command.Parameters.Add(Text(userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var peers = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            peers.Add(reader.GetString(0));
        }
        return peers;
    }

    public async Task<bool> IsAttachmentVisibleAsync(string userId, Guid fileId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT 1 FROM chat_attachments a
            JOIN chat_members m ON m.conversation_id = a.conversation_id AND m.user_id = $1
            WHERE a.file_id = $2 LIMIT 1
            """, connection);
        command.Parameters.Add(Text(userId));
        command.Parameters.Add(Uuid(fileId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
