using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Operations;

namespace Switchboard.Presence;

/// <summary>
/// This node's live connections per user: each is active or away (asked for with <c>SetPresence</c>, or idle for
/// <see cref="PresenceOptions.AwayAfter"/>). Every change of a user's share on this node goes to the
/// <see cref="IPresenceStore"/>; when the user's status across all nodes changes, <see cref="IPresenceEvents"/> hears
/// of it. Presence is advisory: a store failure is logged and never fails the connection.
/// </summary>
public sealed partial class PresenceTracker
{
    private const int Stripes = 64;

    private readonly IPresenceStore _store;
    private readonly IPresenceEvents _events;
    private readonly PresenceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PresenceTracker> _logger;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<Connection>> _byUser = new(StringComparer.Ordinal);

    public PresenceTracker(IPresenceStore store, IPresenceEvents events, IOptions<PresenceOptions> options, TimeProvider time, ILogger<PresenceTracker> logger)
    {
        _store = store;
        _events = events;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Connections open on this node.</summary>
    public int ConnectionCount => _connections.Count;

    public Task ConnectedAsync(string userId, string connectionId, CancellationToken cancellationToken = default)
    {
        var connection = new Connection(userId, _time.GetTimestamp());
        _connections[connectionId] = connection;
        return UpdateAsync(userId, set => set.Add(connection), cancellationToken);
    }

    public Task DisconnectedAsync(string connectionId, CancellationToken cancellationToken = default) =>
        _connections.TryRemove(connectionId, out var connection)
            ? UpdateAsync(connection.UserId, set => set.Remove(connection), cancellationToken)
            : Task.CompletedTask;

    /// <summary>The client says it is away (<paramref name="away"/>) or back.</summary>
    public Task SetAwayAsync(string connectionId, bool away, CancellationToken cancellationToken = default)
    {
        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            return Task.CompletedTask;
        }
        return UpdateAsync(connection.UserId, _ =>
        {
            connection.AskedAway = away;
            connection.IdleAway = false;
            connection.LastActivity = _time.GetTimestamp();
        }, cancellationToken);
    }

    /// <summary>The connection did something: an idle connection is active again.</summary>
    public Task TouchAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            return Task.CompletedTask;
        }
        connection.LastActivity = _time.GetTimestamp();
        return connection.IdleAway
            ? UpdateAsync(connection.UserId, _ => connection.IdleAway = false, cancellationToken)
            : Task.CompletedTask;
    }

    public Task<UserPresence> GetAsync(string userId, CancellationToken cancellationToken = default) => _store.GetAsync(userId, cancellationToken);

    /// <summary>Periodic work: idle connections turn away, and (on the heartbeat) the store hears this node is alive and forgets dead ones.</summary>
    public async Task TickAsync(bool heartbeat, CancellationToken cancellationToken = default)
    {
        if (_options.AwayAfter > TimeSpan.Zero)
        {
            foreach (var connection in _connections.Values)
            {
                if (!connection.IdleAway && _time.GetElapsedTime(connection.LastActivity) >= _options.AwayAfter)
                {
                    await UpdateAsync(connection.UserId, _ => connection.IdleAway = true, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (!heartbeat)
        {
            return;
        }
        try
        {
            var now = _time.GetUtcNow();
            await _store.HeartbeatAsync(now, cancellationToken).ConfigureAwait(false);
            foreach (var change in await _store.SweepAsync(now, cancellationToken).ConfigureAwait(false))
            {
                await NotifyAsync(change, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, ex, "heartbeat");
        }
    }

    /// <summary>A clean shutdown: this node's connections stop counting at once instead of when its heartbeat expires.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var change in await _store.ClearLocalAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                await NotifyAsync(change, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, ex, "shutdown");
        }
    }

    private async Task UpdateAsync(string userId, Action<HashSet<Connection>> change, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(StringComparer.Ordinal.GetHashCode(userId) & int.MaxValue) % Stripes];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        PresenceChange? result = null;
        try
        {
            var set = _byUser.GetOrAdd(userId, _ => []);
            change(set);
            int online = 0, away = 0;
            foreach (var connection in set)
            {
                if (connection.IsAway)
                {
                    away++;
                }
                else
                {
                    online++;
                }
            }
            if (set.Count == 0)
            {
                _byUser.TryRemove(userId, out _);
            }
            result = await _store.SetLocalAsync(userId, online, away, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, ex, userId);
        }
        finally
        {
            stripe.Release();
        }
        if (result is not null)
        {
            await NotifyAsync(result, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task NotifyAsync(PresenceChange change, CancellationToken cancellationToken)
    {
        if (!change.StatusChanged)
        {
            return;
        }
        try
        {
            await _events.PresenceChangedAsync(change.After, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotifyFailed(_logger, ex, change.After.UserId);
        }
    }

    [LoggerMessage(EventId = EventIds.Presence.StoreFailed, Level = LogLevel.Warning, Message = "Presence could not be stored ({What}); it is corrected by the next change or heartbeat.")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(EventId = EventIds.Presence.NotifyFailed, Level = LogLevel.Warning, Message = "The presence change of user {UserId} could not be sent to the user's peers.")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string userId);

    private sealed class Connection(string userId, long connectedAt)
    {
        public string UserId { get; } = userId;

        public long LastActivity { get; set; } = connectedAt;

        public bool AskedAway { get; set; }

        public bool IdleAway { get; set; }

        public bool IsAway => AskedAway || IdleAway;
    }
}
