using Npgsql;
using Switchboard.Identity;

namespace Switchboard.Postgres.Identity;

internal sealed partial class PostgresIdentityStore
{
    private const string KeyColumns = "id, owner_id, name, secret_hash, scopes, created_at, expires_at, last_used_at, revoked_at";

    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"INSERT INTO api_keys ({KeyColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", cancellationToken,
            key.Id, key.OwnerId, key.Name, key.SecretHash, key.Scopes.ToArray(), key.CreatedAt.ToUniversalTime(),
            Value(key.ExpiresAt), Value(key.LastUsedAt), Value(key.RevokedAt));

    public async Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE id = $1", ReadApiKey, cancellationToken, id).ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid? ownerId, CancellationToken cancellationToken = default) =>
        ownerId is { } owner
            ? await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE owner_id = $1 ORDER BY id DESC", ReadApiKey, cancellationToken, owner).ConfigureAwait(false)
            : await QueryAsync($"SELECT {KeyColumns} FROM api_keys ORDER BY id DESC", ReadApiKey, cancellationToken).ConfigureAwait(false);

    public async Task<bool> RevokeApiKeyAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", cancellationToken, id, now.ToUniversalTime()).ConfigureAwait(false) == 1;

    public Task TouchApiKeyAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", cancellationToken, id, now.ToUniversalTime());

    private static ApiKey ReadApiKey(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetGuid(1),
        r.GetString(2),
        r.GetString(3),
        r.GetFieldValue<string[]>(4),
        Time(r, 5),
        TimeOrNull(r, 6),
        TimeOrNull(r, 7),
        TimeOrNull(r, 8));
}
