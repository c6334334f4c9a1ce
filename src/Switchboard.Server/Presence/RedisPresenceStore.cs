using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Errors;
using Switchboard.Presence;
using Switchboard.Server.Chat;

namespace Switchboard.Server.Presence;

/// <summary>
/// Presence shared by every node through Redis. Per user one hash <c>{prefix}:presence:user:{id}</c>: one field per
/// node holding <c>"online,away"</c> connection counts, and <c>seen</c> (Unix milliseconds). Each node keeps
/// <c>{prefix}:presence:node:{node}</c> alive with a TTL heartbeat; counts of a node whose key expired are ignored at
/// once and removed by the first node that notices (the one whose <c>SREM</c> from the node set succeeds), which also
/// announces the resulting offline users. Concurrent changes of one user on two nodes may race; the next change or
/// heartbeat settles it, which is enough for an advisory status.
/// </summary>
internal sealed class RedisPresenceStore(ChatRedis redis, IOptions<PresenceOptions> options) : IPresenceStore
{
    private const string SeenField = "seen";
    private readonly string _nodeId = Guid.CreateVersion7().ToString("n");
    private readonly TimeSpan _nodeTimeout = options.Value.NodeTimeout;
    private volatile bool _registered;

    private string Key(string suffix) => $"{redis.Prefix}:presence:{suffix}";

    private RedisKey UserKey(string userId) => Key("user:" + userId);

    private RedisKey NodeKey(string nodeId) => Key("node:" + nodeId);

    private RedisKey NodeUsersKey(string nodeId) => Key("node-users:" + nodeId);

    private RedisKey NodesKey => Key("nodes");

    public async Task<PresenceChange> SetLocalAsync(string userId, int online, int away, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!_registered)
        {
            await HeartbeatAsync(now, cancellationToken).ConfigureAwait(false);
        }
        var db = await DatabaseAsync().ConfigureAwait(false);
        var snapshot = await ReadAsync(db, userId).ConfigureAwait(false);
        var before = snapshot.Presence(userId, includeMine: true);
        var after = snapshot with { Mine = (online, away), SeenAt = now };

        var batch = db.CreateBatch();
        var writes = new List<Task>();
        if (online + away > 0)
        {
            writes.Add(batch.HashSetAsync(UserKey(userId), _nodeId, Format(online, away)));
            writes.Add(batch.SetAddAsync(NodeUsersKey(_nodeId), userId));
        }
        else
        {
            writes.Add(batch.HashDeleteAsync(UserKey(userId), _nodeId));
            writes.Add(batch.SetRemoveAsync(NodeUsersKey(_nodeId), userId));
        }
        writes.Add(batch.HashSetAsync(UserKey(userId), SeenField, now.ToUnixTimeMilliseconds()));
        foreach (var dead in snapshot.DeadNodes)
        {
            writes.Add(batch.HashDeleteAsync(UserKey(userId), dead));
        }
        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new PresenceChange(before, after.Presence(userId, includeMine: true));
    }

    public async Task<UserPresence> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        try
        {
            var db = await DatabaseAsync().ConfigureAwait(false);
            var snapshot = await ReadAsync(db, userId).WaitAsync(cancellationToken).ConfigureAwait(false);
            return snapshot.Presence(userId, includeMine: true);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new SwitchboardException(ErrorCodes.Unavailable, $"Presence is kept in Redis, which did not answer ({ex.GetType().Name}); retry later.");
        }
    }

    public async Task HeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        await db.StringSetAsync(NodeKey(_nodeId), now.ToUnixTimeMilliseconds(), _nodeTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        await db.SetAddAsync(NodesKey, _nodeId).WaitAsync(cancellationToken).ConfigureAwait(false);
        _registered = true;
    }

    public async Task<IReadOnlyList<PresenceChange>> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var changes = new List<PresenceChange>();
        foreach (var member in await db.SetMembersAsync(NodesKey).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            var node = member.ToString();
            if (node == _nodeId || await db.KeyExistsAsync(NodeKey(node)).ConfigureAwait(false))
            {
                continue;
            }
            // Only the node whose removal succeeds cleans up, so each dead node is announced once.
            if (!await db.SetRemoveAsync(NodesKey, node).ConfigureAwait(false))
            {
                continue;
            }
            changes.AddRange(await WithdrawAsync(db, node, now, cancellationToken).ConfigureAwait(false));
        }
        return changes;
    }

    public async Task<IReadOnlyList<PresenceChange>> ClearLocalAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!_registered)
        {
            return [];
        }
        var db = await DatabaseAsync().ConfigureAwait(false);
        await db.KeyDeleteAsync(NodeKey(_nodeId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        await db.SetRemoveAsync(NodesKey, _nodeId).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await WithdrawAsync(db, _nodeId, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every count of <paramref name="node"/> (already out of the live set) and reports what changed.</summary>
    private async Task<List<PresenceChange>> WithdrawAsync(IDatabase db, string node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = new List<PresenceChange>();
        foreach (var member in await db.SetMembersAsync(NodeUsersKey(node)).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            var userId = member.ToString();
            var gone = Parse(await db.HashGetAsync(UserKey(userId), node).ConfigureAwait(false));
            var snapshot = await ReadAsync(db, userId).ConfigureAwait(false);
            // The withdrawn node no longer counts in the snapshot: the dead one is not alive, this one is left out.
            var after = snapshot.Presence(userId, includeMine: node != _nodeId);
            var online = snapshot.Online + (node != _nodeId ? snapshot.Mine.Online : 0) + gone.Online;
            var away = snapshot.Away + (node != _nodeId ? snapshot.Mine.Away : 0) + gone.Away;
            var before = after with { Connections = online + away, Status = UserPresence.StatusOf(online, away) };
            await db.HashDeleteAsync(UserKey(userId), node).ConfigureAwait(false);
            await db.HashSetAsync(UserKey(userId), SeenField, now.ToUnixTimeMilliseconds()).ConfigureAwait(false);
            changes.Add(new PresenceChange(before, after with { LastSeenAt = now }));
        }
        await db.KeyDeleteAsync(NodeUsersKey(node)).ConfigureAwait(false);
        return changes;
    }

    private async Task<Snapshot> ReadAsync(IDatabase db, string userId)
    {
        var fields = await db.HashGetAllAsync(UserKey(userId)).ConfigureAwait(false);
        DateTimeOffset? seen = null;
        (int Online, int Away) mine = (0, 0);
        var others = new List<(string Node, int Online, int Away)>();
        foreach (var field in fields)
        {
            var name = field.Name.ToString();
            if (name == SeenField)
            {
                if (field.Value.TryParse(out long ms))
                {
                    seen = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                }
            }
            else if (name == _nodeId)
            {
                mine = Parse(field.Value);
            }
            else
            {
                var (online, away) = Parse(field.Value);
                others.Add((name, online, away));
            }
        }
        var alive = await Task.WhenAll(others.Select(o => db.KeyExistsAsync(NodeKey(o.Node)))).ConfigureAwait(false);
        int otherOnline = 0, otherAway = 0;
        var dead = new List<RedisValue>();
        for (var i = 0; i < others.Count; i++)
        {
            if (alive[i])
            {
                otherOnline += others[i].Online;
                otherAway += others[i].Away;
            }
            else
            {
                dead.Add(others[i].Node);
            }
        }
        return new Snapshot(otherOnline, otherAway, mine, seen, dead);
    }

    private async Task<IDatabase> DatabaseAsync() => (await redis.GetAsync().ConfigureAwait(false)).GetDatabase();

    private static string Format(int online, int away) => string.Create(CultureInfo.InvariantCulture, $"{online},{away}");

    private static (int Online, int Away) Parse(RedisValue value)
    {
        var text = value.ToString();
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        return comma > 0
            && int.TryParse(text.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var online)
            && int.TryParse(text.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var away)
            ? (online, away)
            : (0, 0);
    }

    /// <param name="Online">Active connections on the other live nodes.</param>
    /// <param name="Away">Away connections on the other live nodes.</param>
    /// <param name="Mine">This node's counts.</param>
    private sealed record Snapshot(int Online, int Away, (int Online, int Away) Mine, DateTimeOffset? SeenAt, IReadOnlyList<RedisValue> DeadNodes)
    {
        public UserPresence Presence(string userId, bool includeMine)
        {
            var online = Online + (includeMine ? Mine.Online : 0);
            var away = Away + (includeMine ? Mine.Away : 0);
            return new UserPresence(userId, UserPresence.StatusOf(online, away), online + away, SeenAt);
        }
    }
}
