using Microsoft.Data.Sqlite;
using Switchboard.Files;

namespace Switchboard.Sqlite.Files;

/// <summary>
/// Upload metadata on the embedded engine. Writes run in the group-commit writer one operation at a time, so
/// the quota checked at creation and the offset checked by a chunk still hold when the row is written.
/// </summary>
internal sealed class SqliteFileStore(SqliteDatabase database) : IFileStore
{
    private const string Columns =
        "id, owner_id, name, content_type, length, upload_offset, expected_sha256, sha256, status, created_at, expires_at, completed_at";

    private const string UsageSql =
        "SELECT coalesce(sum(length), 0) FROM files WHERE owner_id = $owner AND status IN ('uploading', 'complete')";

    public Task<bool> CreateAsync(StoredFile file, long quotaBytes, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var usage = ctx.Command(UsageSql);
            usage.Parameters.AddWithValue("$owner", file.OwnerId);
            if ((long)usage.ExecuteScalar()! + file.Length > quotaBytes)
            {
                return false;
            }
            var insert = ctx.Command($"""
                INSERT INTO files ({Columns})
                VALUES ($id, $owner, $name, $type, $length, $offset, $expected, $sha, $status, $created, $expires, $completed)
                """);
            var p = insert.Parameters;
            p.AddWithValue("$id", Key(file.Id));
            p.AddWithValue("$owner", file.OwnerId);
            p.AddWithValue("$name", file.Name);
            p.AddWithValue("$type", file.ContentType);
            p.AddWithValue("$length", file.Length);
            p.AddWithValue("$offset", file.Offset);
            p.AddWithValue("$expected", (object?)file.ExpectedSha256 ?? DBNull.Value);
            p.AddWithValue("$sha", (object?)file.Sha256 ?? DBNull.Value);
            p.AddWithValue("$status", Status(file.Status));
            p.AddWithValue("$created", file.CreatedAt.ToUnixTimeMilliseconds());
            p.AddWithValue("$expires", Millis(file.ExpiresAt));
            p.AddWithValue("$completed", Millis(file.CompletedAt));
            insert.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public Task<StoredFile?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM files WHERE id = $id";
            command.Parameters.AddWithValue("$id", Key(id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? Map(reader) : null;
        }, cancellationToken);

    public Task<bool> AdvanceAsync(Guid id, long expectedOffset, long newOffset, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var update = ctx.Command("""
                UPDATE files SET upload_offset = $new, expires_at = $expires
                WHERE id = $id AND status = 'uploading' AND upload_offset = $expected
                """);
            update.Parameters.AddWithValue("$id", Key(id));
            update.Parameters.AddWithValue("$new", newOffset);
            update.Parameters.AddWithValue("$expected", expectedOffset);
            update.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<bool> CompleteAsync(Guid id, long expectedOffset, string sha256, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var update = ctx.Command("""
                UPDATE files SET upload_offset = length, sha256 = $sha, status = 'complete', expires_at = NULL, completed_at = $now
                WHERE id = $id AND status = 'uploading' AND upload_offset = $expected
                """);
            update.Parameters.AddWithValue("$id", Key(id));
            update.Parameters.AddWithValue("$sha", sha256);
            update.Parameters.AddWithValue("$expected", expectedOffset);
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<bool> FailAsync(Guid id, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var update = ctx.Command("UPDATE files SET status = 'failed' WHERE id = $id AND status = 'uploading'");
            update.Parameters.AddWithValue("$id", Key(id));
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var delete = ctx.Command("DELETE FROM files WHERE id = $id");
            delete.Parameters.AddWithValue("$id", Key(id));
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<long> UsageAsync(string ownerId, CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = UsageSql;
            command.Parameters.AddWithValue("$owner", ownerId);
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredFile>> RemoveExpiredAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        database.Writer.ExecuteAsync<IReadOnlyList<StoredFile>>(ctx =>
        {
            var delete = ctx.Command($"""
                DELETE FROM files WHERE id IN (
                    SELECT id FROM files WHERE expires_at <= $now AND status <> 'complete' ORDER BY expires_at LIMIT $max)
                RETURNING {Columns}
                """);
            delete.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$max", max);
            using var reader = delete.ExecuteReader();
            var removed = new List<StoredFile>();
            while (reader.Read())
            {
                removed.Add(Map(reader));
            }
            return removed;
        }, cancellationToken);

    private static string Key(Guid id) => id.ToString("D");

    private static object Millis(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    private static string Status(FileStatus status) => status switch
    {
        FileStatus.Complete => "complete",
        FileStatus.Failed => "failed",
        _ => "uploading",
    };

    private static StoredFile Map(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetInt64(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetString(8) switch
        {
            "complete" => FileStatus.Complete,
            "failed" => FileStatus.Failed,
            _ => FileStatus.Uploading,
        },
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        reader.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)));
}
