using System.Collections.Concurrent;

namespace Switchboard.Identity;

/// <summary>
/// The current status of users, read through on each authenticated request and kept for at most
/// <see cref="Lifetime"/>. Changes on this node invalidate at once; on other nodes they show within the lifetime.
/// Disabling a user therefore stops their access tokens and API keys within seconds, without a store read per request.
/// </summary>
public sealed class UserStatusCache(IIdentityStore store, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private long _generation;

    /// <summary>The user's status, or null when the user no longer exists.</summary>
    public async ValueTask<UserStatus?> GetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(userId, out var entry) && now - entry.ReadAt < Lifetime)
        {
            return entry.Status;
        }
        var generation = Interlocked.Read(ref _generation);
        var user = await store.GetUserAsync(userId, cancellationToken).ConfigureAwait(false);
        var status = user is null ? null : new UserStatus(user.Id, user.Username, user.Role, user.Disabled, AccessTokens.SecurityStamp(user));
        if (_entries.Count > 100_000)
        {
            _entries.Clear();
        }
        // A change that landed while this read was in flight must not be hidden behind a stale entry.
        if (Interlocked.Read(ref _generation) == generation)
        {
            _entries[userId] = new Entry(status, now);
        }
        return status;
    }

    public void Invalidate(Guid userId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(userId, out _);
    }

    private sealed record Entry(UserStatus? Status, DateTimeOffset ReadAt);
}
