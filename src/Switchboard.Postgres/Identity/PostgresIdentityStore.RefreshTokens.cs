using Npgsql;
using Switchboard.Identity;

namespace Switchboard.Postgres.Identity;

internal sealed partial class PostgresIdentityStore
{
    private const string RefreshColumns = "id, family_id, user_id, token_hash, created_at, expires_at, used_at, revoked_at";
    private const string InsertRefresh = $"INSERT INTO refresh_tokens ({RefreshColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    public Task CreateRefreshTokenAsync(RefreshToken token, CancellationToken cancellationToken = default) =>
        ExecuteAsync(InsertRefresh, cancellationToken, RefreshParameters(token));

    public async Task<RefreshToken?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {RefreshColumns} FROM refresh_tokens WHERE token_hash = $1", ReadRefreshToken, cancellationToken, tokenHash).ConfigureAwait(false)).FirstOrDefault();

    public async Task<bool> RotateRefreshTokenAsync(Guid usedId, RefreshToken next, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The row lock taken by the UPDATE makes a concurrent rotation of the same token see used_at and lose.
        await using (var use = Command(connection,
            "UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL",
            [usedId, now.ToUniversalTime()], transaction))
        {
            if (await use.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }
        await using (var insert = Command(connection, InsertRefresh, RefreshParameters(next), transaction))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task RevokeRefreshTokenFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL", cancellationToken, familyId, now.ToUniversalTime());

    public Task RevokeUserRefreshTokensAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL", cancellationToken, userId, now.ToUniversalTime());

    private static object[] RefreshParameters(RefreshToken token) =>
    [
        token.Id, token.FamilyId, token.UserId, token.TokenHash, token.CreatedAt.ToUniversalTime(), token.ExpiresAt.ToUniversalTime(),
        Value(token.UsedAt), Value(token.RevokedAt),
    ];

    private static RefreshToken ReadRefreshToken(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetGuid(1),
        r.GetGuid(2),
        r.GetString(3),
        Time(r, 4),
        Time(r, 5),
        TimeOrNull(r, 6),
        TimeOrNull(r, 7));
}
