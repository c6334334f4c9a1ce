using Microsoft.Data.Sqlite;
using Switchboard.Identity;

namespace Switchboard.Sqlite.Identity;

internal sealed partial class SqliteIdentityStore
{
    private const string KeyColumns = "id, owner_id, name, secret_hash, scopes, created_at, expires_at, last_used_at, revoked_at";

    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var insert = ctx.Command($"""
                INSERT INTO api_keys ({KeyColumns})
                VALUES ($id, $owner, $name, $hash, $scopes, $createdAt, $expiresAt, $lastUsedAt, $revokedAt)
                """);
            insert.Parameters.AddWithValue("$id", key.Id.ToString());
            insert.Parameters.AddWithValue("$owner", key.OwnerId.ToString());
            insert.Parameters.AddWithValue("$name", key.Name);
            insert.Parameters.AddWithValue("$hash", key.SecretHash);
            insert.Parameters.AddWithValue("$scopes", string.Join(' ', key.Scopes));
            insert.Parameters.AddWithValue("$createdAt", Text(key.CreatedAt));
            insert.Parameters.AddWithValue("$expiresAt", Text(key.ExpiresAt));
            insert.Parameters.AddWithValue("$lastUsedAt", Text(key.LastUsedAt));
            insert.Parameters.AddWithValue("$revokedAt", Text(key.RevokedAt));
            insert.ExecuteNonQuery();
        }, cancellationToken);

    public Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => Query(c, $"SELECT {KeyColumns} FROM api_keys WHERE id = $id", ReadApiKey, ("$id", id.ToString())).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid? ownerId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ApiKey>>(c => ownerId is { } owner
            ? Query(c, $"SELECT {KeyColumns} FROM api_keys WHERE owner_id = $owner ORDER BY id DESC", ReadApiKey, ("$owner", owner.ToString()))
            : Query(c, $"SELECT {KeyColumns} FROM api_keys ORDER BY id DESC", ReadApiKey), cancellationToken);

    public Task<bool> RevokeApiKeyAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var revoke = ctx.Command("UPDATE api_keys SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL");
            revoke.Parameters.AddWithValue("$id", id.ToString());
            revoke.Parameters.AddWithValue("$now", Text(now));
            return revoke.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task TouchApiKeyAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var touch = ctx.Command("UPDATE api_keys SET last_used_at = $now WHERE id = $id");
            touch.Parameters.AddWithValue("$id", id.ToString());
            touch.Parameters.AddWithValue("$now", Text(now));
            touch.ExecuteNonQuery();
        }, cancellationToken);

    private static ApiKey ReadApiKey(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)),
        Guid.Parse(r.GetString(1)),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        Time(r, 5),
        TimeOrNull(r, 6),
        TimeOrNull(r, 7),
        TimeOrNull(r, 8));
}
