using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchboard.Operations;

namespace Switchboard.Postgres.Broker;

/// <summary>
/// The node's one listening connection to PostgreSQL: LISTEN/NOTIFY wake-ups for long-poll receivers on every node,
/// plus the node lock that tells a starting node whether others run. Wakes long-poll receivers on every node. A commit that makes messages deliverable sends
/// <c>NOTIFY switchboard_broker, '&lt;queue&gt;'</c> (PostgreSQL delivers it at commit); each node keeps one connection
/// listening on that channel and completes the in-memory waiters of that queue. The same connection holds the
/// node's shared presence lock, which tells a starting node whether any other node is running. A dropped
/// connection is replaced, and every waiter then looks again, since notifications may have been missed.
/// The hot publish path does not NOTIFY inside its commit but <see cref="Announce"/>s afterwards (see there).
/// </summary>
internal sealed partial class NodeListener(PostgresDatabase database, ILogger logger) : IAsyncDisposable
{
    public const string Channel = "switchboard_broker";

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private static readonly string PresenceLock = $"{PostgresBrokerStore.NodeLockClass}, {PostgresBrokerStore.PresenceLockId}";

    private readonly ConcurrentDictionary<string, WaiterSet> _waiters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    // Cancels a wait outright (breaking the connection) when a polite stop does not end it in time.
    private readonly CancellationTokenSource _abort = new();
    // Queues to announce to the other nodes, and a count of additions the announcer has yet to look at.
    private readonly ConcurrentDictionary<string, byte> _announcements = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _announced = new(0);
    private Task? _loop;
    private Task? _announcer;
    private volatile int _processId;
    private int _disposed;

    /// <summary>
    /// Connects and starts listening. When no other node holds the presence lock, <paramref name="whenAlone"/>
    /// runs first, while this node holds it exclusively, so nodes starting meanwhile wait for it.
    /// </summary>
    public async Task StartAsync(Func<CancellationToken, Task> whenAlone, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(whenAlone, cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => ListenAsync(connection), CancellationToken.None);
        _announcer = Task.Run(AnnounceLoopAsync, CancellationToken.None);
    }

    /// <summary>
    /// Tells every node, soon after a commit, that <paramref name="queue"/> has new messages. A NOTIFY inside the
    /// commit holds PostgreSQL's one notify lock from before the commit's WAL flush until after it, so every
    /// publishing commit of every node queued behind the previous one's fsync (profiled: most publish time waiting on
    /// "Lock: object"). Sent here, on one connection per node, announcements of many commits share one NOTIFY; if
    /// the node dies before sending, other nodes' receivers look again within their safety recheck.
    /// </summary>
    public void Announce(string queue)
    {
        if (_announcements.TryAdd(queue, 0))
        {
            _announced.Release();
        }
    }

    private async Task AnnounceLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _announced.WaitAsync(_stopping.Token).ConfigureAwait(false);
                var queues = new List<string>();
                foreach (var queue in _announcements.Keys)
                {
                    if (_announcements.TryRemove(queue, out _))
                    {
                        queues.Add(queue);
                    }
                }
                if (queues.Count == 0)
                {
                    continue;
                }
                await using var connection = await database.OpenConnectionAsync(_stopping.Token).ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        // A lost NOTIFY costs a recheck, not a message: its commit need not wait for a flush.
                        new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"),
                        new NpgsqlBatchCommand($"SELECT pg_notify('{Channel}', q) FROM unnest($1::text[]) AS q")
                        {
                            Parameters = { new NpgsqlParameter { Value = queues.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text } },
                        },
                    },
                };
                await batch.ExecuteNonQueryAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogAnnounceFailed(logger, ex);
            }
        }
    }

    /// <summary>The server process of the listening connection; 0 while reconnecting.</summary>
    public int ProcessId => _processId;

    /// <summary>A waiter for <paramref name="queue"/>; completed by the next signal for it.</summary>
    public TaskCompletionSource Register(string queue)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var set = _waiters.GetOrAdd(queue, _ => new WaiterSet());
        lock (set)
        {
            set.Add(waiter);
        }
        return waiter;
    }

    public void Unregister(string queue, TaskCompletionSource waiter)
    {
        if (_waiters.TryGetValue(queue, out var set))
        {
            lock (set)
            {
                set.Remove(waiter);
            }
        }
    }

    /// <summary>Waits for the waiter or the timeout, whichever is first; only cancellation throws.</summary>
    public static async Task WaitAsync(TaskCompletionSource waiter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Time to look again anyway.
        }
    }

    /// <summary>Wakes the waiters of a queue on this node (after a local commit, before its NOTIFY comes back).</summary>
    public void Signal(string queue)
    {
        if (!_waiters.TryGetValue(queue, out var set))
        {
            return;
        }
        TaskCompletionSource[] woken;
        lock (set)
        {
            if (set.Count == 0)
            {
                return;
            }
            woken = [.. set];
            set.Clear();
        }
        foreach (var waiter in woken)
        {
            waiter.TrySetResult();
        }
    }

    public void Signal(IEnumerable<string> queues)
    {
        foreach (var queue in queues)
        {
            Signal(queue);
        }
    }

    private void SignalAll() => Signal(_waiters.Keys);

    private async Task<NpgsqlConnection> ConnectAsync(Func<CancellationToken, Task>? whenAlone, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection.Notification += (_, e) =>
            {
                if (e.Payload.Length > 0)
                {
                    Signal(e.Payload);
                }
            };
            await PostgresDatabase.Execute(connection, $"LISTEN {Channel}", cancellationToken).ConfigureAwait(false);
            var alone = false;
            if (whenAlone is not null)
            {
                await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({PresenceLock})", connection);
                alone = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (alone)
                {
                    await whenAlone(cancellationToken).ConfigureAwait(false);
                }
            }
            // A session never conflicts with itself: take the shared lock before giving up the exclusive one.
            await PostgresDatabase.Execute(connection, $"SELECT pg_advisory_lock_shared({PresenceLock})", cancellationToken).ConfigureAwait(false);
            if (alone)
            {
                await PostgresDatabase.Execute(connection, $"SELECT pg_advisory_unlock({PresenceLock})", cancellationToken).ConfigureAwait(false);
            }
            _processId = connection.ProcessID;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ListenAsync(NpgsqlConnection connection)
    {
        var current = connection;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (!await current.WaitAsync(KeepAlive, _abort.Token).ConfigureAwait(false) && !_stopping.IsCancellationRequested)
                {
                    // Quiet for a while: prove the connection still works, so a dead one is noticed and replaced.
                    await PostgresDatabase.Execute(current, "SELECT 1", _abort.Token).ConfigureAwait(false);
                }
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogListenerLost(logger, ex);
                _processId = 0;
                await current.DisposeAsync().ConfigureAwait(false);
                var replacement = await ReconnectAsync().ConfigureAwait(false);
                if (replacement is null)
                {
                    return;
                }
                current = replacement;
                LogListenerRestored(logger);
                SignalAll();
            }
        }
        try
        {
            // Give the locks back explicitly: the pool keeps the session open after the connection is closed.
            await PostgresDatabase.Execute(current, "UNLISTEN *; SELECT pg_advisory_unlock_all()", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            // The connection broke: the server has already released what the session held.
        }
        await current.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection?> ReconnectAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ReconnectDelay, _stopping.Token).ConfigureAwait(false);
                return await ConnectAsync(null, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex)
            {
                LogListenerLost(logger, ex);
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            // Wake the listener with an empty notification so it stops cleanly and releases its locks.
            try
            {
                await using var connection = await database.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
                await PostgresDatabase.Execute(connection, $"NOTIFY {Channel}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The database is gone; the abort below ends the wait.
            }
            if (await Task.WhenAny(_loop, Task.Delay(StopGrace)).ConfigureAwait(false) != _loop)
            {
                await _abort.CancelAsync().ConfigureAwait(false);
            }
            await _loop.ConfigureAwait(false);
        }
        if (_announcer is not null)
        {
            await _announcer.ConfigureAwait(false);
        }
        SignalAll();
        _stopping.Dispose();
        _abort.Dispose();
        _announced.Dispose();
    }

    [LoggerMessage(EventId = EventIds.BrokerStorage.ListenerLost, Level = LogLevel.Warning, Message = "The broker's LISTEN connection failed; reconnecting")]
    private static partial void LogListenerLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.BrokerStorage.ListenerRestored, Level = LogLevel.Information, Message = "The broker's LISTEN connection is back; waiting receivers look again")]
    private static partial void LogListenerRestored(ILogger logger);

    [LoggerMessage(EventId = EventIds.BrokerStorage.AnnounceFailed, Level = LogLevel.Warning, Message = "Announcing new messages to the other broker nodes failed; their receivers look again within seconds")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception);

    /// <summary>The long-poll receivers of one queue on this node.</summary>
    private sealed class WaiterSet : HashSet<TaskCompletionSource>;
}
