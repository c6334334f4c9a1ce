namespace Switchboard.Presence;

/// <summary>Presence of a single node: this node's counts are everyone's.</summary>
internal sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _users = new(StringComparer.Ordinal);

    public Task<PresenceChange> SetLocalAsync(string userId, int online, int away, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var before = PresenceOf(userId);
            _users[userId] = new Entry(online, away, now);
            return Task.FromResult(new PresenceChange(before, PresenceOf(userId)));
        }
    }

    public Task<UserPresence> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(PresenceOf(userId));
        }
    }

    public Task HeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<PresenceChange>> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PresenceChange>>([]);

    public Task<IReadOnlyList<PresenceChange>> ClearLocalAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var changes = new List<PresenceChange>();
            foreach (var (userId, entry) in _users.ToArray())
            {
                if (entry.Online + entry.Away > 0)
                {
                    var before = PresenceOf(userId);
                    _users[userId] = new Entry(0, 0, now);
                    changes.Add(new PresenceChange(before, PresenceOf(userId)));
                }
            }
            return Task.FromResult<IReadOnlyList<PresenceChange>>(changes);
        }
    }

    private UserPresence PresenceOf(string userId) => _users.TryGetValue(userId, out var entry)
        ? new UserPresence(userId, UserPresence.StatusOf(entry.Online, entry.Away), entry.Online + entry.Away, entry.LastSeenAt)
        : UserPresence.Offline(userId, null);

    private readonly record struct Entry(int Online, int Away, DateTimeOffset LastSeenAt);
}
