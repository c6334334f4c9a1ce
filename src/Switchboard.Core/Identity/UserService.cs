using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Operations;

namespace Switchboard.Identity;

/// <summary>Local users: registration, login checks with lockout, self-service and administration. Owns all validation.</summary>
public sealed partial class UserService(
    IIdentityStore store,
    UserStatusCache statusCache,
    IOptionsMonitor<IdentityOptions> options,
    TimeProvider time,
    SystemEventPublisher events,
    ILogger<UserService> logger)
{
    public const string BootstrapAdminName = "admin";
    public const int MaxPasswordLength = 1024;
    public const int MaxDisplayNameLength = 100;
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    private static readonly PasswordHasher<UserAccount> Hasher = new();
    private static readonly UserAccount Nobody = new(Guid.Empty, "", null, "", Roles.User, false, 0, null, default, default);

    // Verified against when the username is unknown, so both failures cost one hash and look the same.
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Nobody, Secrets.Random(24)));

    private IdentityOptions Options => options.CurrentValue;

    public Task<UserAccount> RegisterAsync(string? username, string? password, string? displayName, CancellationToken cancellationToken = default)
    {
        if (!Options.AllowRegistration)
        {
            throw new SwitchboardException(ErrorCodes.RegistrationDisabled, "Self-registration is turned off (Identity:AllowRegistration); ask an administrator for an account.");
        }
        return CreateAsync(username, password, Roles.User, displayName, cancellationToken);
    }

    public async Task<UserAccount> CreateAsync(string? username, string? password, string? role, string? displayName, CancellationToken cancellationToken = default)
    {
        var validation = new Validation();
        ValidateUsername(validation, username);
        ValidateDisplayName(validation, displayName);
        validation.Require(Roles.IsKnown(role), "role", $"Role must be '{Roles.Admin}' or '{Roles.User}'.");
        validation.ThrowIfInvalid();
        CheckPassword(password, "password");

        var now = time.GetUtcNow();
        var user = new UserAccount(Guid.CreateVersion7(), username!, NullIfEmpty(displayName), "", role!, false, 0, null, now, now);
        user = user with { PasswordHash = Hasher.HashPassword(user, password!) };
        if (!await store.CreateUserAsync(user, cancellationToken).ConfigureAwait(false))
        {
            throw new SwitchboardException(ErrorCodes.UsernameTaken, $"The username '{username}' is taken; choose another.");
        }
        LogUserCreated(logger, user.Id, user.Username, user.Role);
        await events.PublishAsync(SystemEvents.UserRegistered, new UserEvent(user.Id, user.Username, user.Role), CancellationToken.None).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// Checks a username and password. Unknown user and wrong password give the same error after the same
    /// work; a locked account is refused before its password is checked; a disabled one after.
    /// </summary>
    public async Task<UserAccount> AuthenticateAsync(string? username, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password) || username.Length > 64 || password.Length > MaxPasswordLength)
        {
            Hasher.VerifyHashedPassword(Nobody, DummyHash.Value, password ?? "");
            throw InvalidCredentials();
        }
        var user = await store.FindUserByNameAsync(username, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(Nobody, DummyHash.Value, password);
            throw InvalidCredentials();
        }
        var now = time.GetUtcNow();
        if (user.IsLocked(now))
        {
            throw Locked(user.LockedUntil!.Value, now);
        }
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            var options = Options;
            var lockUntil = now + TimeSpan.FromMinutes(options.LockoutMinutes);
            if (await store.RecordFailedLoginAsync(user.Id, options.MaxFailedLogins, lockUntil, cancellationToken).ConfigureAwait(false))
            {
                LogLockedOut(logger, user.Id, user.Username, lockUntil);
            }
            throw InvalidCredentials();
        }
        if (user.Disabled)
        {
            throw new SwitchboardException(ErrorCodes.AccountDisabled, "This account is disabled; ask an administrator to enable it.");
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user = user with { PasswordHash = Hasher.HashPassword(user, password), UpdatedAt = now };
            await store.UpdateUserAsync(user with { FailedLogins = 0, LockedUntil = null }, keepAnAdmin: false, cancellationToken).ConfigureAwait(false);
            // The new hash is a new security stamp: the token issued now must not meet the old one in the cache.
            statusCache.Invalidate(user.Id);
        }
        else if (user.FailedLogins > 0 || user.LockedUntil is not null)
        {
            await store.ResetFailedLoginsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        }
        return user with { FailedLogins = 0, LockedUntil = null };
    }

    public async Task<UserAccount> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await store.GetUserAsync(id, cancellationToken).ConfigureAwait(false) ?? throw SwitchboardException.NotFound($"User '{id}'");

    /// <summary>A page of users in creation order; the cursor is the last id of the previous page.</summary>
    public async Task<(IReadOnlyList<UserAccount> Items, string? NextCursor)> ListAsync(int? limit, string? cursor, CancellationToken cancellationToken = default)
    {
        var validation = new Validation();
        var size = limit ?? DefaultPageSize;
        validation.Require(size is >= 1 and <= MaxPageSize, "limit", $"limit must be between 1 and {MaxPageSize}.");
        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (Guid.TryParse(cursor, out var parsed))
            {
                after = parsed;
            }
            else
            {
                validation.Add("cursor", "cursor must be the nextCursor of a previous page.");
            }
        }
        validation.ThrowIfInvalid();
        var items = await store.ListUsersAsync(after, size + 1, cancellationToken).ConfigureAwait(false);
        return items.Count > size ? (items.Take(size).ToArray(), items[size - 1].Id.ToString()) : (items, null);
    }

    /// <summary>An administrator's change of role, disabled flag or display name. The last enabled admin stays.</summary>
    public async Task<UserAccount> UpdateAsync(Guid id, string? role, bool? disabled, string? displayName, CancellationToken cancellationToken = default)
    {
        var validation = new Validation();
        validation.Require(role is null || Roles.IsKnown(role), "role", $"Role must be '{Roles.Admin}' or '{Roles.User}'.");
        ValidateDisplayName(validation, displayName);
        validation.ThrowIfInvalid();

        var user = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var updated = user with
        {
            Role = role ?? user.Role,
            Disabled = disabled ?? user.Disabled,
            DisplayName = displayName is null ? user.DisplayName : NullIfEmpty(displayName),
            UpdatedAt = time.GetUtcNow(),
        };
        var losesAdmin = user.Role == Roles.Admin && !user.Disabled && (updated.Role != Roles.Admin || updated.Disabled);
        await SaveAsync(updated, losesAdmin, cancellationToken).ConfigureAwait(false);
        if (updated.Disabled && !user.Disabled)
        {
            await store.RevokeUserRefreshTokensAsync(id, updated.UpdatedAt, cancellationToken).ConfigureAwait(false);
            LogUserDisabled(logger, id, user.Username);
        }
        return updated;
    }

    /// <summary>An administrator sets a new password; it also lifts a lockout and ends the user's sessions.</summary>
    public async Task ResetPasswordAsync(Guid id, string? password, CancellationToken cancellationToken = default)
    {
        CheckPassword(password, "password");
        var user = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var updated = user with { PasswordHash = Hasher.HashPassword(user, password!), FailedLogins = 0, LockedUntil = null, UpdatedAt = now };
        await SaveAsync(updated, keepAnAdmin: false, cancellationToken).ConfigureAwait(false);
        await store.RevokeUserRefreshTokensAsync(id, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A user's own change of display name and, with the current password, of password.</summary>
    public async Task<UserAccount> UpdateSelfAsync(Guid id, string? displayName, string? currentPassword, string? newPassword, CancellationToken cancellationToken = default)
    {
        var validation = new Validation();
        ValidateDisplayName(validation, displayName);
        validation.Require(newPassword is not null || currentPassword is null, "newPassword", "Send newPassword together with currentPassword to change the password.");
        validation.ThrowIfInvalid();

        var user = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var updated = user with { DisplayName = displayName is null ? user.DisplayName : NullIfEmpty(displayName), UpdatedAt = now };
        if (newPassword is not null)
        {
            if (string.IsNullOrEmpty(currentPassword)
                || currentPassword.Length > MaxPasswordLength
                || Hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
            {
                throw new SwitchboardException(ErrorCodes.InvalidCredentials, "currentPassword is wrong; the password was not changed.");
            }
            CheckPassword(newPassword, "newPassword");
            updated = updated with { PasswordHash = Hasher.HashPassword(user, newPassword) };
        }
        await SaveAsync(updated, keepAnAdmin: false, cancellationToken).ConfigureAwait(false);
        if (newPassword is not null)
        {
            // A new password ends every session: a stolen refresh token must not outlive it.
            await store.RevokeUserRefreshTokensAsync(id, now, cancellationToken).ConfigureAwait(false);
        }
        return updated;
    }

    /// <summary>Creates the <c>admin</c> user when there is no user at all; returns the generated password, or null.</summary>
    public async Task<(UserAccount User, string? GeneratedPassword)?> EnsureBootstrapAdminAsync(CancellationToken cancellationToken = default)
    {
        if (await store.CountUsersAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return null;
        }
        var configured = Options.BootstrapAdminPassword;
        var password = string.IsNullOrEmpty(configured) ? Secrets.Password(Math.Max(24, Options.MinPasswordLength)) : configured;
        var user = await CreateAsync(BootstrapAdminName, password, Roles.Admin, "Administrator", cancellationToken).ConfigureAwait(false);
        return (user, string.IsNullOrEmpty(configured) ? password : null);
    }

    private async Task SaveAsync(UserAccount user, bool keepAnAdmin, CancellationToken cancellationToken)
    {
        var outcome = await store.UpdateUserAsync(user, keepAnAdmin, cancellationToken).ConfigureAwait(false);
        statusCache.Invalidate(user.Id);
        switch (outcome)
        {
            case UserUpdateOutcome.NotFound:
                throw SwitchboardException.NotFound($"User '{user.Id}'");
            case UserUpdateOutcome.LastAdmin:
                throw new SwitchboardException(ErrorCodes.LastAdmin, "This is the last enabled admin; make another user admin first.");
        }
    }

    private void CheckPassword(string? password, string field)
    {
        var min = Options.MinPasswordLength;
        if (string.IsNullOrEmpty(password) || password.Length < min)
        {
            throw new SwitchboardException(ErrorCodes.WeakPassword, $"{field} must have at least {min} characters.",
                new Dictionary<string, string[]> { [field] = [$"At least {min} characters."] });
        }
        if (password.Length > MaxPasswordLength)
        {
            throw new SwitchboardException(ErrorCodes.WeakPassword, $"{field} must have at most {MaxPasswordLength} characters.",
                new Dictionary<string, string[]> { [field] = [$"At most {MaxPasswordLength} characters."] });
        }
    }

    /// <summary>
    /// A lower-case LIKE pattern (escape character <c>\</c>) for usernames starting with <paramref name="prefix"/>; a
    /// character no username has matches nothing, and <c>_</c> matches only itself.
    /// </summary>
    public static string PrefixPattern(string prefix) =>
        prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? prefix.ToLowerInvariant().Replace("_", "\\_", StringComparison.Ordinal) + "%"
            : "\\%\\%";

    internal static bool IsValidUsername(string? username) =>
        username is { Length: >= 3 and <= 64 } && username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static void ValidateUsername(Validation validation, string? username) =>
        validation.Require(IsValidUsername(username), "username", "username must be 3–64 characters of A–Z, a–z, 0–9, '.', '_' or '-'.");

    private static void ValidateDisplayName(Validation validation, string? displayName) =>
        validation.Require(displayName is null || (displayName.Length <= MaxDisplayNameLength && !displayName.Any(char.IsControl)),
            "displayName", $"displayName must have at most {MaxDisplayNameLength} characters and no control characters.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static SwitchboardException InvalidCredentials() =>
        new(ErrorCodes.InvalidCredentials, "The username or password is wrong.");

    private static SwitchboardException Locked(DateTimeOffset until, DateTimeOffset now)
    {
        var ex = new SwitchboardException(ErrorCodes.AccountLocked, $"Too many failed logins; try again after {until:O}.");
        ex.Extensions["retryAfterSeconds"] = (int)Math.Ceiling(Math.Max(0, (until - now).TotalSeconds));
        return ex;
    }

    [LoggerMessage(EventId = EventIds.Identity.UserCreated, Level = LogLevel.Information, Message = "Created user {UserId} '{Username}' with role {Role}")]
    private static partial void LogUserCreated(ILogger logger, Guid userId, string username, string role);

    [LoggerMessage(EventId = EventIds.Identity.LockedOut, Level = LogLevel.Warning, Message = "Locked user {UserId} '{Username}' until {Until} after repeated failed logins")]
    private static partial void LogLockedOut(ILogger logger, Guid userId, string username, DateTimeOffset until);

    [LoggerMessage(EventId = EventIds.Identity.UserDisabled, Level = LogLevel.Information, Message = "Disabled user {UserId} '{Username}'")]
    private static partial void LogUserDisabled(ILogger logger, Guid userId, string username);
}
