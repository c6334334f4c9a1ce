using Npgsql;
using Switchboard.Identity;

namespace Switchboard.Postgres.Identity;

internal sealed partial class PostgresIdentityStore
{
    private const string UserColumns =
        "id, username, display_name, password_hash, role, disabled, failed_logins, locked_until, created_at, updated_at";

    public async Task<bool> CreateUserAsync(UserAccount user, CancellationToken cancellationToken = default)
    {
        // The unique index on lower(username) decides between nodes racing for the same name.
        var inserted = await ExecuteAsync($"""
            INSERT INTO users ({UserColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT DO NOTHING
            """, cancellationToken,
            user.Id, user.Username, Value(user.DisplayName), user.PasswordHash, user.Role, user.Disabled, user.FailedLogins,
            Value(user.LockedUntil), user.CreatedAt.ToUniversalTime(), user.UpdatedAt.ToUniversalTime()).ConfigureAwait(false);
        return inserted == 1;
    }

    public async Task<UserAccount?> GetUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {UserColumns} FROM users WHERE id = $1", ReadUser, cancellationToken, id).ConfigureAwait(false)).FirstOrDefault();

    public async Task<UserAccount?> FindUserByNameAsync(string username, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {UserColumns} FROM users WHERE lower(username) = lower($1)", ReadUser, cancellationToken, username).ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(Guid? after, int limit, CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {UserColumns} FROM users WHERE id > $1 ORDER BY id LIMIT $2", ReadUser, cancellationToken,
            after ?? Guid.Empty, limit).ConfigureAwait(false);

    public async Task<IReadOnlyList<UserAccount>> SearchUsersAsync(string prefix, int limit, CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {UserColumns} FROM users WHERE lower(username) LIKE $1 ESCAPE '\\' ORDER BY lower(username) COLLATE \"C\" LIMIT $2", ReadUser,
            cancellationToken, UserService.PrefixPattern(prefix), limit).ConfigureAwait(false);

    public async Task<long> CountUsersAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT count(*) FROM users", r => r.GetInt64(0), cancellationToken).ConfigureAwait(false))[0];

    public async Task<UserUpdateOutcome> UpdateUserAsync(UserAccount user, bool keepAnAdmin, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (keepAnAdmin && !(user.Role == Roles.Admin && !user.Disabled))
        {
            // Locking every enabled admin row serialises two admins demoting each other at the same time.
            await using var admins = Command(connection,
                "SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE", [], transaction);
            var others = 0;
            await using (var reader = await admins.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    others += reader.GetGuid(0) == user.Id ? 0 : 1;
                }
            }
            if (others == 0)
            {
                return UserUpdateOutcome.LastAdmin;
            }
        }
        await using var update = Command(connection, """
            UPDATE users SET display_name = $2, password_hash = $3, role = $4, disabled = $5,
                failed_logins = $6, locked_until = $7, updated_at = $8
            WHERE id = $1
            """, [user.Id, Value(user.DisplayName), user.PasswordHash, user.Role, user.Disabled, user.FailedLogins,
                Value(user.LockedUntil), user.UpdatedAt.ToUniversalTime()], transaction);
        var updated = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated == 0 ? UserUpdateOutcome.NotFound : UserUpdateOutcome.Updated;
    }

    public async Task<bool> RecordFailedLoginAsync(Guid userId, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken = default)
    {
        var locked = await QueryAsync("""
            UPDATE users SET
                locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END,
                failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
            WHERE id = $1
            RETURNING locked_until IS NOT DISTINCT FROM $3
            """, r => r.GetBoolean(0), cancellationToken, userId, maxFailures, lockUntil.ToUniversalTime()).ConfigureAwait(false);
        return locked.Count == 1 && locked[0];
    }

    public Task ResetFailedLoginsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1", cancellationToken, userId);

    private static UserAccount ReadUser(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetString(1),
        StringOrNull(r, 2),
        r.GetString(3),
        r.GetString(4),
        r.GetBoolean(5),
        r.GetInt32(6),
        TimeOrNull(r, 7),
        Time(r, 8),
        Time(r, 9));
}
