using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Operations;

namespace Switchboard.Identity;

/// <summary>
/// Logins and sessions. A session is a refresh-token family: every refresh uses up the presented token and
/// returns a new one of the same family; presenting a used token again means it leaked, so the family dies.
/// </summary>
public sealed partial class TokenService(
    IIdentityStore store,
    UserService users,
    UserStatusCache statusCache,
    AccessTokens accessTokens,
    IOptionsMonitor<IdentityOptions> options,
    TimeProvider time,
    SystemEventPublisher events,
    ILogger<TokenService> logger)
{
    public async Task<TokenPair> LoginAsync(string? username, string? password, CancellationToken cancellationToken = default)
    {
        var user = await users.AuthenticateAsync(username, password, cancellationToken).ConfigureAwait(false);
        var pair = await IssueAsync(user, Guid.CreateVersion7(), previous: null, cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(SystemEvents.UserLogin, new UserEvent(user.Id, user.Username, user.Role), CancellationToken.None).ConfigureAwait(false);
        return pair;
    }

    public async Task<TokenPair> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        var stored = await FindAsync(refreshToken, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (stored is null || stored.RevokedAt is not null || stored.ExpiresAt <= now)
        {
            throw InvalidRefreshToken();
        }
        if (stored.UsedAt is not null)
        {
            throw await ReusedAsync(stored, now, cancellationToken).ConfigureAwait(false);
        }
        var status = await statusCache.GetAsync(stored.UserId, cancellationToken).ConfigureAwait(false);
        if (status is null || status.Disabled)
        {
            throw new SwitchboardException(ErrorCodes.InvalidRefreshToken, "The account of this session is disabled or gone; log in again.");
        }
        var user = await users.GetAsync(stored.UserId, cancellationToken).ConfigureAwait(false);
        return await IssueAsync(user, stored.FamilyId, stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the session the refresh token belongs to. Unknown tokens are ignored: the session is gone either way.</summary>
    public async Task LogoutAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        var stored = await FindAsync(refreshToken, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            await store.RevokeRefreshTokenFamilyAsync(stored.FamilyId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RefreshToken?> FindAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(refreshToken) || refreshToken.Length > 256)
        {
            return null;
        }
        var stored = await store.FindRefreshTokenAsync(Secrets.Hash(refreshToken), cancellationToken).ConfigureAwait(false);
        // The lookup is by hash already; the constant-time compare keeps it honest if the index ever is not exact.
        return stored is not null && Secrets.HashEquals(stored.TokenHash, Secrets.Hash(refreshToken)) ? stored : null;
    }

    private async Task<TokenPair> IssueAsync(UserAccount user, Guid familyId, RefreshToken? previous, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = Secrets.Random(32);
        var next = new RefreshToken(Guid.CreateVersion7(), familyId, user.Id, Secrets.Hash(secret), now,
            now + TimeSpan.FromDays(options.CurrentValue.RefreshTokenDays), null, null);
        if (previous is null)
        {
            await store.CreateRefreshTokenAsync(next, cancellationToken).ConfigureAwait(false);
        }
        else if (!await store.RotateRefreshTokenAsync(previous.Id, next, now, cancellationToken).ConfigureAwait(false))
        {
            // Someone used the same token a moment earlier: the same theft signal as a later reuse.
            throw await ReusedAsync(previous, now, cancellationToken).ConfigureAwait(false);
        }
        return new TokenPair(accessTokens.Issue(user), secret, (int)accessTokens.Lifetime.TotalSeconds);
    }

    private async Task<SwitchboardException> ReusedAsync(RefreshToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await store.RevokeRefreshTokenFamilyAsync(token.FamilyId, now, cancellationToken).ConfigureAwait(false);
        LogReuse(logger, token.UserId, token.FamilyId);
        return new SwitchboardException(ErrorCodes.RefreshTokenReused, "This refresh token was already used; the whole session is revoked. Log in again.");
    }

    private static SwitchboardException InvalidRefreshToken() =>
        new(ErrorCodes.InvalidRefreshToken, "The refresh token is unknown, expired or revoked; log in again.");

    [LoggerMessage(EventId = EventIds.Identity.Reuse, Level = LogLevel.Warning, Message = "A used refresh token was presented again for user {UserId}; revoked session {FamilyId}")]
    private static partial void LogReuse(ILogger logger, Guid userId, Guid familyId);
}
