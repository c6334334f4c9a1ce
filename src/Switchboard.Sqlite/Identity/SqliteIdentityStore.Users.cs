using Microsoft.Data.Sqlite;
using Switchboard.Identity;

namespace Switchboard.Sqlite.Identity;

internal sealed partial class SqliteIdentityStore
{
    private const string UserColumns =
        "id, username, display_name, password_hash, role, disabled, failed_logins, locked_until, created_at, updated_at";

    public Task<bool> CreateUserAsync(UserAccount user, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            // One writer: checking then inserting cannot race.
            var exists = ctx.Command("SELECT 1 FROM users WHERE username = $username");
            exists.Parameters.AddWithValue("$username", user.Username);
            if (exists.ExecuteScalar() is not null)
            {
                return false;
            }
            var insert = ctx.Command($"""
                INSERT INTO users ({UserColumns})
                VALUES ($id, $username, $displayName, $hash, $role, $disabled, $failed, $lockedUntil, $createdAt, $updatedAt)
                """);
            BindUser(insert, user);
            insert.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public Task<UserAccount?> GetUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => Query(c, $"SELECT {UserColumns} FROM users WHERE id = $id", ReadUser, ("$id", id.ToString())).FirstOrDefault(), cancellationToken);

    public Task<UserAccount?> FindUserByNameAsync(string username, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => Query(c, $"SELECT {UserColumns} FROM users WHERE username = $username", ReadUser, ("$username", username)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<UserAccount>> ListUsersAsync(Guid? after, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UserAccount>>(c => Query(c,
            $"SELECT {UserColumns} FROM users WHERE id > $after ORDER BY id LIMIT $limit",
            ReadUser, ("$after", after?.ToString() ?? ""), ("$limit", limit)), cancellationToken);

    public Task<IReadOnlyList<UserAccount>> SearchUsersAsync(string prefix, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<UserAccount>>(c => Query(c,
            $"SELECT {UserColumns} FROM users WHERE lower(username) LIKE $pattern ESCAPE '\\' ORDER BY lower(username) LIMIT $limit",
            ReadUser, ("$pattern", UserService.PrefixPattern(prefix)), ("$limit", limit)), cancellationToken);

    public Task<long> CountUsersAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(c =>
        {
            using var command = Command(c, "SELECT count(*) FROM users");
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    public Task<UserUpdateOutcome> UpdateUserAsync(UserAccount user, bool keepAnAdmin, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            if (keepAnAdmin)
            {
                var others = ctx.Command("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> $id");
                others.Parameters.AddWithValue("$id", user.Id.ToString());
                var stillAdmin = user.Role == Roles.Admin && !user.Disabled;
                if (!stillAdmin && (long)others.ExecuteScalar()! == 0)
                {
                    return UserUpdateOutcome.LastAdmin;
                }
            }
            var update = ctx.Command("""
                UPDATE users SET display_name = $displayName, password_hash = $hash, role = $role, disabled = $disabled,
                    failed_logins = $failed, locked_until = $lockedUntil, updated_at = $updatedAt
                WHERE id = $id
                """);
            BindUser(update, user);
            return update.ExecuteNonQuery() == 0 ? UserUpdateOutcome.NotFound : UserUpdateOutcome.Updated;
        }, cancellationToken);

    public Task<bool> RecordFailedLoginAsync(Guid userId, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var update = ctx.Command("""
                UPDATE users SET
                    locked_until = CASE WHEN failed_logins + 1 >= $max THEN $until ELSE locked_until END,
                    failed_logins = CASE WHEN failed_logins + 1 >= $max THEN 0 ELSE failed_logins + 1 END
                WHERE id = $id
                RETURNING locked_until = $until
                """);
            update.Parameters.AddWithValue("$id", userId.ToString());
            update.Parameters.AddWithValue("$max", maxFailures);
            update.Parameters.AddWithValue("$until", Text(lockUntil));
            return update.ExecuteScalar() is long locked && locked == 1;
        }, cancellationToken);

    public Task ResetFailedLoginsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var update = ctx.Command("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $id");
            update.Parameters.AddWithValue("$id", userId.ToString());
            update.ExecuteNonQuery();
        }, cancellationToken);

    private static void BindUser(SqliteCommand command, UserAccount user)
    {
        command.Parameters.AddWithValue("$id", user.Id.ToString());
        command.Parameters.AddWithValue("$displayName", Text(user.DisplayName));
        command.Parameters.AddWithValue("$hash", user.PasswordHash);
        command.Parameters.AddWithValue("$role", user.Role);
        command.Parameters.AddWithValue("$disabled", user.Disabled ? 1 : 0);
        command.Parameters.AddWithValue("$failed", user.FailedLogins);
        command.Parameters.AddWithValue("$lockedUntil", Text(user.LockedUntil));
        command.Parameters.AddWithValue("$updatedAt", Text(user.UpdatedAt));
        if (command.CommandText.Contains("$username", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$username", user.Username);
            command.Parameters.AddWithValue("$createdAt", Text(user.CreatedAt));
        }
    }

    private static UserAccount ReadUser(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)),
        r.GetString(1),
        StringOrNull(r, 2),
        r.GetString(3),
        r.GetString(4),
        r.GetInt64(5) != 0,
        r.GetInt32(6),
        TimeOrNull(r, 7),
        Time(r, 8),
        Time(r, 9));
}
