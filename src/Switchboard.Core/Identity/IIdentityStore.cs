namespace Switchboard.Identity;

/// <summary>
/// Users, refresh-token families and API keys. One implementation per engine; the identity
/// conformance suite defines the contract. Methods that change state in a way that can race
/// (usernames, rotation, the last admin) decide atomically and report the outcome.
/// </summary>
public interface IIdentityStore
{
    /// <summary>Inserts the user; false when the username is taken (compared case-insensitively).</summary>
    Task<bool> CreateUserAsync(UserAccount user, CancellationToken cancellationToken = default);

    Task<UserAccount?> GetUserAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Finds a user by username, case-insensitively.</summary>
    Task<UserAccount?> FindUserByNameAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Users ordered by id (creation order), starting after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<UserAccount>> ListUsersAsync(Guid? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Users whose username starts with <paramref name="prefix"/> (case-insensitively; characters that are not allowed in
    /// a username match nothing), in username order.
    /// </summary>
    Task<IReadOnlyList<UserAccount>> SearchUsersAsync(string prefix, int limit, CancellationToken cancellationToken = default);

    Task<long> CountUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes display name, password hash, role, disabled, failed logins, lockout and updated-at.
    /// With <paramref name="keepAnAdmin"/>, the update is refused (returns <see cref="UserUpdateOutcome.LastAdmin"/>)
    /// when it would leave no enabled admin.
    /// </summary>
    Task<UserUpdateOutcome> UpdateUserAsync(UserAccount user, bool keepAnAdmin, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts one failed login atomically. On the <paramref name="maxFailures"/>th failure the account is
    /// locked until <paramref name="lockUntil"/> and the counter starts again. Returns whether it is now locked.
    /// </summary>
    Task<bool> RecordFailedLoginAsync(Guid userId, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken = default);

    /// <summary>Clears the failure counter and any lockout after a successful login.</summary>
    Task ResetFailedLoginsAsync(Guid userId, CancellationToken cancellationToken = default);

    Task CreateRefreshTokenAsync(RefreshToken token, CancellationToken cancellationToken = default);

    Task<RefreshToken?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks <paramref name="usedId"/> used and inserts <paramref name="next"/> in one step; false (and nothing
    /// written) when the token was already used or revoked, which the caller treats as reuse.
    /// </summary>
    Task<bool> RotateRefreshTokenAsync(Guid usedId, RefreshToken next, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task RevokeRefreshTokenFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task RevokeUserRefreshTokensAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Keys of one owner, or of everyone when <paramref name="ownerId"/> is null, by descending id (newest first).</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid? ownerId, CancellationToken cancellationToken = default);

    /// <summary>Revokes the key; false when it does not exist or was already revoked.</summary>
    Task<bool> RevokeApiKeyAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task TouchApiKeyAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);
}

public enum UserUpdateOutcome
{
    Updated,
    NotFound,
    LastAdmin,
}
