using Switchboard.Chat;

namespace Switchboard.Sqlite.Chat;

internal sealed partial class SqliteChatStore
{
    public Task<IReadOnlyList<SearchHit>> SearchAsync(string userId, IReadOnlyList<string> words, Guid? conversationId, long? beforePosition, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<SearchHit>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {Prefixed("m.", MessageColumns)}
                FROM chat_messages_fts f
                JOIN chat_messages m ON m.pos = f.rowid
                JOIN chat_members mem ON mem.conversation_id = m.conversation_id AND mem.user_id = $user
                WHERE chat_messages_fts MATCH $query AND m.deleted_at IS NULL
                  AND ($conversation IS NULL OR m.conversation_id = $conversation)
                  AND ($before IS NULL OR m.pos < $before)
                ORDER BY m.pos DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$query", MatchExpression(words));
            command.Parameters.AddWithValue("$conversation", conversationId is { } id ? Id(id) : DBNull.Value);
            command.Parameters.AddWithValue("$before", (object?)beforePosition ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var hits = new List<SearchHit>();
            while (reader.Read())
            {
                hits.Add(new SearchHit(MapMessage(reader), reader.GetInt64(14)));
            }
            return hits;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> PeersOfAsync(string userId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<string>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT DISTINCT other.user_id
                FROM chat_members me
                JOIN chat_conversations c ON c.id = me.conversation_id AND c.kind IN ('private', 'group')
                JOIN chat_members other ON other.conversation_id = me.conversation_id AND other.user_id <> me.user_id
                WHERE me.user_id = $user
                ORDER BY other.user_id
                """;
            command.Parameters.AddWithValue("$user", userId);
            using var reader = command.ExecuteReader();
            var peers = new List<string>();
            while (reader.Read())
            {
                peers.Add(reader.GetString(0));
            }
            return peers;
        }, cancellationToken);

    public Task<bool> IsAttachmentVisibleAsync(string userId, Guid fileId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT 1 FROM chat_attachments a
                JOIN chat_members m ON m.conversation_id = a.conversation_id AND m.user_id = $user
                WHERE a.file_id = $file LIMIT 1
                """;
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$file", Id(fileId));
            return command.ExecuteScalar() is not null;
        }, cancellationToken);

    /// <summary>
    /// Every word as a quoted FTS5 string, so nothing the user typed is read as query syntax; adjacent strings must
    /// all match (implicit AND). The words are letters and digits only already; quoting is the second guard.
    /// </summary>
    internal static string MatchExpression(IReadOnlyList<string> words) =>
        string.Join(' ', words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    private static string Prefixed(string prefix, string columns) =>
        string.Join(", ", columns.Split(", ").Select(c => prefix + c));
}
