using Microsoft.Data.Sqlite;
using Switchboard.Identity;

namespace Switchboard.Sqlite.Identity;

internal sealed partial class SqliteIdentityStore
{
    private const string RefreshColumns = "id, family_id, user_id, token_hash, created_at, expires_at, used_at, revoked_at";

    public Task CreateRefreshTokenAsync(RefreshToken token, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx => InsertRefreshToken(ctx, token), cancellationToken);

    public Task<RefreshToken?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => Query(c, $"SELECT {RefreshColumns} FROM refresh_tokens WHERE token_hash = $hash", ReadRefreshToken, ("$hash", tokenHash)).FirstOrDefault(), cancellationToken);

    public Task<bool> RotateRefreshTokenAsync(Guid usedId, RefreshToken next, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var use = ctx.Command("UPDATE refresh_tokens SET used_at = $now WHERE id = $id AND used_at IS NULL AND revoked_at IS NULL");
            use.Parameters.AddWithValue("$id", usedId.ToString());
            use.Parameters.AddWithValue("$now", Text(now));
            if (use.ExecuteNonQuery() == 0)
            {
                return false;
            }
            InsertRefreshToken(ctx, next);
            return true;
        }, cancellationToken);

    public Task RevokeRefreshTokenFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var revoke = ctx.Command("UPDATE refresh_tokens SET revoked_at = $now WHERE family_id = $family AND revoked_at IS NULL");
            revoke.Parameters.AddWithValue("$family", familyId.ToString());
            revoke.Parameters.AddWithValue("$now", Text(now));
            revoke.ExecuteNonQuery();
        }, cancellationToken);

    public Task RevokeUserRefreshTokensAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var revoke = ctx.Command("UPDATE refresh_tokens SET revoked_at = $now WHERE user_id = $user AND revoked_at IS NULL");
            revoke.Parameters.AddWithValue("$user", userId.ToString());
            revoke.Parameters.AddWithValue("$now", Text(now));
            revoke.ExecuteNonQuery();
        }, cancellationToken);

    private static void InsertRefreshToken(SqliteWriteContext ctx, RefreshToken token)
    {
        var insert = ctx.Command($"""
            INSERT INTO refresh_tokens ({RefreshColumns})
            VALUES ($id, $family, $user, $hash, $createdAt, $expiresAt, $usedAt, $revokedAt)
            """);
        insert.Parameters.AddWithValue("$id", token.Id.ToString());
        insert.Parameters.AddWithValue("$family", token.FamilyId.ToString());
        insert.Parameters.AddWithValue("$user", token.UserId.ToString());
        insert.Parameters.AddWithValue("$hash", token.TokenHash);
        insert.Parameters.AddWithValue("$createdAt", Text(token.CreatedAt));
        insert.Parameters.AddWithValue("$expiresAt", Text(token.ExpiresAt));
        insert.Parameters.AddWithValue("$usedAt", Text(token.UsedAt));
        insert.Parameters.AddWithValue("$revokedAt", Text(token.RevokedAt));
        insert.ExecuteNonQuery();
    }

    private static RefreshToken ReadRefreshToken(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)),
        Guid.Parse(r.GetString(1)),
        Guid.Parse(r.GetString(2)),
        r.GetString(3),
        Time(r, 4),
        Time(r, 5),
        TimeOrNull(r, 6),
        TimeOrNull(r, 7));
}
