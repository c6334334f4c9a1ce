using Npgsql;
using NpgsqlTypes;
using Switchboard.Files;

namespace Switchboard.Postgres.Files;

/// <summary>
/// Upload metadata on the scale-out engine. Creation locks its owner (a transaction-level advisory lock) before
/// summing the quota, so creations on any node take turns per user; chunk offsets advance by compare-and-set.
/// </summary>
internal sealed class PostgresFileStore(PostgresDatabase database) : IFileStore
{
    private const string Columns =
        "id, owner_id, name, content_type, length, upload_offset, expected_sha256, sha256, status, created_at, expires_at, completed_at";

    private const string UsageSql =
        "SELECT coalesce(sum(length), 0)::bigint FROM files WHERE owner_id = $1 AND status IN ('uploading', 'complete')";

    public async Task<bool> CreateAsync(StoredFile file, long quotaBytes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('files:' || $1))", connection, transaction))
        {
            lockCommand.Parameters.Add(Text(file.OwnerId));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var usage = new NpgsqlCommand(UsageSql, connection, transaction))
        {
            usage.Parameters.Add(Text(file.OwnerId));
            if ((long)(await usage.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! + file.Length > quotaBytes)
            {
                return false;
            }
        }
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO files ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = file.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(Text(file.OwnerId));
            insert.Parameters.Add(Text(file.Name));
            insert.Parameters.Add(Text(file.ContentType));
            insert.Parameters.Add(Param(file.Length, NpgsqlDbType.Bigint));
            insert.Parameters.Add(Param(file.Offset, NpgsqlDbType.Bigint));
            insert.Parameters.Add(Param(file.ExpectedSha256, NpgsqlDbType.Text));
            insert.Parameters.Add(Param(file.Sha256, NpgsqlDbType.Text));
            insert.Parameters.Add(Text(Status(file.Status)));
            insert.Parameters.Add(Time(file.CreatedAt));
            insert.Parameters.Add(Param(file.ExpiresAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            insert.Parameters.Add(Param(file.CompletedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<StoredFile?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM files WHERE id = $1", connection);
        command.Parameters.Add(Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    public Task<bool> AdvanceAsync(Guid id, long expectedOffset, long newOffset, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE files SET upload_offset = $2, expires_at = $4
            WHERE id = $1 AND status = 'uploading' AND upload_offset = $3
            """, cancellationToken, Id(id), Param(newOffset, NpgsqlDbType.Bigint), Param(expectedOffset, NpgsqlDbType.Bigint), Time(expiresAt));

    public Task<bool> CompleteAsync(Guid id, long expectedOffset, string sha256, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE files SET upload_offset = length, sha256 = $3, status = 'complete', expires_at = NULL, completed_at = $4
            WHERE id = $1 AND status = 'uploading' AND upload_offset = $2
            """, cancellationToken, Id(id), Param(expectedOffset, NpgsqlDbType.Bigint), Text(sha256), Time(now));

    public Task<bool> FailAsync(Guid id, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE files SET status = 'failed' WHERE id = $1 AND status = 'uploading'", cancellationToken, Id(id));

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM files WHERE id = $1", cancellationToken, Id(id));

    public async Task<long> UsageAsync(string ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(UsageSql, connection);
        command.Parameters.Add(Text(ownerId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<StoredFile>> RemoveExpiredAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // SKIP LOCKED: nodes sweeping at once take disjoint rows, and each removed row is returned once.
        await using var command = new NpgsqlCommand($"""
            DELETE FROM files WHERE id IN (
                SELECT id FROM files WHERE expires_at <= $1 AND status <> 'complete'
                ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, connection);
        command.Parameters.Add(Time(now));
        command.Parameters.Add(Param(max, NpgsqlDbType.Integer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<StoredFile>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            removed.Add(Map(reader));
        }
        return removed;
    }

    private async Task<bool> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static string Status(FileStatus status) => status switch
    {
        FileStatus.Complete => "complete",
        FileStatus.Failed => "failed",
        _ => "uploading",
    };

    private static StoredFile Map(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
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
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));

    private static NpgsqlParameter Id(Guid id) => new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Param(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
