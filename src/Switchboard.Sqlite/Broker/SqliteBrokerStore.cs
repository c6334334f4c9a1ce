using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Operations;

namespace Switchboard.Sqlite.Broker;

/// <summary>
/// The broker on the embedded engine. Rows hold what must survive a crash (the message, its delivery count
/// after a failed delivery); leases, the ready order and long-poll waiters are in memory, loaded from the rows at
/// start-up. The happy path of a message is one INSERT at publish and one DELETE at ack, each folded into the
/// writer's group commit. One sweeper handles lease expiry, due delays, TTL and retention.
/// </summary>
internal sealed partial class SqliteBrokerStore : IBrokerStore, IAsyncDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private const int MaxHistory = 50;

    private readonly SqliteDatabase _database;
    private readonly BrokerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BrokerMetrics? _metrics;
    private readonly ConcurrentDictionary<string, QueueState> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sweeper;

    // The next message sequence; touched only on the writer thread after start-up.
    private long _seq;
    private long _cachedBytes;
    private int _disposed;

    public SqliteBrokerStore(SqliteDatabase database, BrokerOptions options, ILogger<SqliteBrokerStore> logger, TimeProvider? time = null, BrokerMetrics? metrics = null)
    {
        _database = database;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _metrics = metrics;
        Load();
        // Reading a count without the queue's lock is a harmless race for a gauge.
        metrics?.ObserveDepth(() => _queues.Values.Select(q => BrokerMetrics.Depth(q.Name, q.Entries.Count)).ToArray());
        _sweeper = Task.Run(SweepLoopAsync);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public Task<QueueInfo> CreateQueueAsync(string name, QueueSettings settings, CancellationToken cancellationToken = default) =>
        _database.Writer.ExecuteAsync(ctx =>
        {
            var now = Now();
            if (!InsertQueue(ctx, name, settings, now))
            {
                throw new SwitchboardException(ErrorCodes.QueueExists, $"Queue '{name}' already exists; change it with PATCH /v1/queues/{name}.");
            }
            var deadLetter = settings.DeadLetterQueue;
            var deadLetterCreated = deadLetter is not null && InsertQueue(ctx, deadLetter, QueueSettings.ForDeadLetters(), now);
            ctx.OnCommitted(() =>
            {
                _queues[name] = new QueueState(name, settings, FromMs(now));
                if (deadLetterCreated)
                {
                    _queues.TryAdd(deadLetter!, new QueueState(deadLetter!, QueueSettings.ForDeadLetters(), FromMs(now)));
                }
            });
            return new QueueInfo(name, settings, FromMs(now));
        }, cancellationToken);

    public Task<QueueInfo?> GetQueueAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(_queues.TryGetValue(name, out var state) && !state.Deleted ? state.Info : null);

    public Task<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<QueueInfo>>(_queues.Values.Where(q => !q.Deleted).Select(q => q.Info).OrderBy(q => q.Name, StringComparer.Ordinal).ToArray());

    public async Task<QueueInfo> UpdateQueueAsync(string name, QueueSettings settings, CancellationToken cancellationToken = default)
    {
        var state = Find(name);
        return await _database.Writer.ExecuteAsync(ctx =>
        {
            var now = Now();
            var update = ctx.Command("UPDATE broker_queues SET settings = $s WHERE name = $n");
            update.Parameters.AddWithValue("$s", JsonSerializer.Serialize(settings, Json));
            update.Parameters.AddWithValue("$n", name);
            if (update.ExecuteNonQuery() == 0)
            {
                throw QueueNotFound(name);
            }
            var deadLetter = settings.DeadLetterQueue;
            var deadLetterCreated = deadLetter is not null && InsertQueue(ctx, deadLetter, QueueSettings.ForDeadLetters(), now);
            ctx.OnCommitted(() =>
            {
                lock (state.Gate)
                {
                    state.ChangeSettings(settings);
                    state.Signal();
                }
                if (deadLetterCreated)
                {
                    _queues.TryAdd(deadLetter!, new QueueState(deadLetter!, QueueSettings.ForDeadLetters(), FromMs(now)));
                }
            });
            return state.Info with { Settings = settings };
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteQueueAsync(string name, bool force, CancellationToken cancellationToken = default)
    {
        var state = Find(name);
        lock (state.Gate)
        {
            if (!force && state.Entries.Count + state.Pending > 0)
            {
                throw new SwitchboardException(ErrorCodes.QueueNotEmpty,
                    $"Queue '{name}' holds {state.Entries.Count + state.Pending} messages; purge it first or delete with ?force=true.");
            }
        }
        await _database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var sql in new[]
            {
                "DELETE FROM broker_messages WHERE queue = $n",
                "DELETE FROM broker_subscriptions WHERE queue = $n",
                "DELETE FROM broker_dedup WHERE scope = $n",
                "DELETE FROM broker_queues WHERE name = $n",
            })
            {
                var command = ctx.Command(sql);
                command.Parameters.AddWithValue("$n", name);
                command.ExecuteNonQuery();
            }
            ctx.OnCommitted(() =>
            {
                _queues.TryRemove(new KeyValuePair<string, QueueState>(name, state));
                lock (state.Gate)
                {
                    state.Deleted = true;
                    Uncache(state.Entries.Values);
                    state.Clear();
                    state.Signal();
                }
                foreach (var topic in _topics.Values)
                {
                    topic.RemoveWhere(s => s.Queue == name);
                }
            });
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> PurgeAsync(string name, CancellationToken cancellationToken = default)
    {
        var state = Find(name);
        return await _database.Writer.ExecuteAsync(ctx =>
        {
            var delete = ctx.Command("DELETE FROM broker_messages WHERE queue = $n");
            delete.Parameters.AddWithValue("$n", name);
            var count = delete.ExecuteNonQuery();
            ctx.OnCommitted(() =>
            {
                lock (state.Gate)
                {
                    Uncache(state.Entries.Values);
                    state.Clear();
                    state.Signal();
                }
            });
            return (long)count;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<QueueStats> GetStatsAsync(string name, CancellationToken cancellationToken = default)
    {
        var state = Find(name);
        var now = Now();
        long depth, ready, inFlight, delayed;
        long? oldest = null;
        string? deadLetter;
        lock (state.Gate)
        {
            state.PromoteDue(now);
            depth = state.Entries.Count;
            ready = state.Ready.Count;
            inFlight = state.InFlight.Count;
            delayed = state.Delayed.Count;
            foreach (var entry in state.Entries.Values)
            {
                if (oldest is null || entry.EnqueuedAt < oldest)
                {
                    oldest = entry.EnqueuedAt;
                }
            }
            deadLetter = state.Settings.DeadLetterQueue;
        }
        long deadLetterDepth = 0;
        if (deadLetter is not null && _queues.TryGetValue(deadLetter, out var dlq))
        {
            lock (dlq.Gate)
            {
                deadLetterDepth = dlq.Entries.Count;
            }
        }
        double? age = oldest is null ? null : Math.Max(0, now - oldest.Value) / 1000.0;
        return Task.FromResult(new QueueStats(name, depth, ready, inFlight, delayed, deadLetterDepth, age));
    }

    private QueueState Find(string name) =>
        _queues.TryGetValue(name, out var state) && !state.Deleted ? state : throw QueueNotFound(name);

    private static SwitchboardException QueueNotFound(string name) =>
        new(ErrorCodes.QueueNotFound, $"Queue '{name}' does not exist; create it with POST /v1/queues.");

    private static bool InsertQueue(SqliteWriteContext ctx, string name, QueueSettings settings, long now)
    {
        var insert = ctx.Command("INSERT INTO broker_queues (name, settings, created_at) VALUES ($n, $s, $t) ON CONFLICT (name) DO NOTHING");
        insert.Parameters.AddWithValue("$n", name);
        insert.Parameters.AddWithValue("$s", JsonSerializer.Serialize(settings, Json));
        insert.Parameters.AddWithValue("$t", now);
        return insert.ExecuteNonQuery() == 1;
    }

    /// <summary>Inside a write: the queue still exists (a delete earlier in the same batch would otherwise leave orphan rows).</summary>
    private static void EnsureQueueRow(SqliteWriteContext ctx, string name)
    {
        var query = ctx.Command("SELECT 1 FROM broker_queues WHERE name = $n");
        query.Parameters.AddWithValue("$n", name);
        if (query.ExecuteScalar() is null)
        {
            throw QueueNotFound(name);
        }
    }

    private void Cache(MessageEntry entry, byte[] body)
    {
        if (Interlocked.Add(ref _cachedBytes, body.Length) <= _options.BodyCacheBytes)
        {
            entry.Body = body;
        }
        else
        {
            Interlocked.Add(ref _cachedBytes, -body.Length);
        }
    }

    private void Uncache(MessageEntry entry)
    {
        if (entry.Body is { } body)
        {
            Interlocked.Add(ref _cachedBytes, -body.Length);
            entry.Body = null;
        }
    }

    private void Uncache(IEnumerable<MessageEntry> entries)
    {
        foreach (var entry in entries)
        {
            Uncache(entry);
        }
    }

    private void Load()
    {
        using var connection = _database.OpenReader();
        var now = Now();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, settings, created_at FROM broker_queues";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var settings = JsonSerializer.Deserialize<QueueSettings>(reader.GetString(1), Json)!;
                _queues[name] = new QueueState(name, settings, FromMs(reader.GetInt64(2)));
            }
        }
        LoadTopics(connection);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT seq, id, queue, priority, group_key, enqueued_at, available_at, expires_at, delivery_count,
                       body_encoding, headers, source_queue, history
                FROM broker_messages ORDER BY seq
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                _seq = Math.Max(_seq, seq);
                if (!_queues.TryGetValue(reader.GetString(2), out var state))
                {
                    continue;
                }
                var entry = new MessageEntry
                {
                    Id = new Guid((byte[])reader.GetValue(1)),
                    Seq = seq,
                    Priority = reader.GetInt32(3),
                    GroupKey = reader.IsDBNull(4) ? null : reader.GetString(4),
                    EnqueuedAt = reader.GetInt64(5),
                    AvailableAt = reader.GetInt64(6),
                    ExpiresAt = reader.IsDBNull(7) ? null : reader.GetInt64(7),
                    DeliveryCount = reader.GetInt32(8),
                    Encoding = (BodyEncoding)reader.GetInt32(9),
                    Headers = ReadHeaders(reader.IsDBNull(10) ? null : reader.GetString(10)),
                    SourceQueue = reader.IsDBNull(11) ? null : reader.GetString(11),
                    History = reader.IsDBNull(12) ? [] : JsonSerializer.Deserialize<List<DeliveryRecord>>(reader.GetString(12), Json) ?? [],
                };
                state.Add(entry, now);
            }
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT coalesce(max(seq), 0) FROM broker_messages";
            _seq = Math.Max(_seq, (long)command.ExecuteScalar()!);
        }
        LogLoaded(_logger, _queues.Count, _queues.Values.Sum(q => q.Entries.Count));
    }

    internal static IReadOnlyDictionary<string, string> ReadHeaders(string? json) =>
        json is null ? EmptyHeaders : JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? EmptyHeaders;

    internal static string? WriteHeaders(IReadOnlyDictionary<string, string>? headers) =>
        headers is null || headers.Count == 0 ? null : JsonSerializer.Serialize(headers, Json);

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it once per registration (the store and its interface).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweeper.ConfigureAwait(false);
        foreach (var state in _queues.Values)
        {
            lock (state.Gate)
            {
                state.Signal();
            }
        }
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = EventIds.BrokerStorage.SqliteLoaded, Level = LogLevel.Information, Message = "Broker loaded {Queues} queues holding {Messages} messages")]
    private static partial void LogLoaded(ILogger logger, int queues, int messages);

    [LoggerMessage(EventId = EventIds.BrokerStorage.SqliteSweepFailed, Level = LogLevel.Error, Message = "A broker sweep failed; it is retried on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.BrokerStorage.SqliteRejectedDropped, Level = LogLevel.Warning, Message = "Queue {Queue} has no dead-letter queue; a rejected message {MessageId} was deleted")]
    private static partial void LogRejectedDropped(ILogger logger, string queue, Guid messageId);
}
