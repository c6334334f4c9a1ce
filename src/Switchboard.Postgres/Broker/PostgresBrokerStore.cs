using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Operations;

namespace Switchboard.Postgres.Broker;

/// <summary>
/// The broker on the scale-out engine, where every node competes for the same rows. The lease lives in the row
/// (<c>lease_until</c>, <c>lease_nonce</c>, a delivery count bumped by the receive itself), taken with
/// <c>FOR UPDATE SKIP LOCKED</c>; ordered queues also serialise their receives with a per-queue advisory lock.
/// Commits that make messages deliverable send <c>NOTIFY</c>, which <see cref="NodeListener"/> turns into
/// wake-ups of long-poll receivers on every node. One node at a time sweeps (lease expiry, dead letters, TTL,
/// retention, idempotency keys), elected by a session advisory lock.
/// </summary>
internal sealed partial class PostgresBrokerStore : IBrokerStore, IAsyncDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // Advisory lock keys (two-int form, so they never meet the migrator's bigint key): the class names the use.
    internal const int NodeLockClass = 0x5342_0001;
    internal const int QueueLockClass = 0x5342_0002;
    internal const int SweeperLockId = 1;
    internal const int PresenceLockId = 2;

    private const int MaxHistory = 50;

    /// <summary>
    /// For the rest of the transaction, plans walk the broker's indexes. The planner's row counts for a queue table
    /// are stale by nature (it turns over between two ANALYZEs), so left alone it reads the whole backlog with a bitmap
    /// or sequential scan and sorts it to take the first hundred (profiled: 30–130 ms a receive during W1), where an
    /// index scan in hand-out order stops at the hundredth row; and neither of those scans ever marks the index
    /// entries of deleted rows dead, so each one re-reads every deleted row until vacuum runs.
    /// </summary>
    internal const string IndexPlansOnly = "set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)";

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();

    private readonly PostgresDatabase _database;
    private readonly BrokerOptions _options;
    private readonly ILogger _logger;
    private readonly BrokerMetrics? _metrics;
    private readonly NodeListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _sweeper;
    private int _disposed;
    // The depth gauge answers from memory; this snapshot is refreshed in the background (see RefreshDepthsAsync).
    private volatile IReadOnlyDictionary<string, long> _depths = new Dictionary<string, long>();

    public PostgresBrokerStore(PostgresDatabase database, BrokerOptions options, ILogger<PostgresBrokerStore> logger, BrokerMetrics? metrics = null)
    {
        _database = database;
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _listener = new NodeListener(database, logger);
        metrics?.ObserveDepth(() => _depths.Select(d => BrokerMetrics.Depth(d.Key, d.Value)).ToArray());
    }

    /// <summary>
    /// Starts listening and sweeping. A node that finds no other node running (the cluster restarted) first ends
    /// every lease, so unsettled messages are delivered again at once, as after a restart of the embedded engine.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _listener.StartAsync(EndAllLeasesAsync, cancellationToken).ConfigureAwait(false);
        _sweeper = Task.Run(SweepLoopAsync, CancellationToken.None);
    }

    /// <summary>The server process of this node's LISTEN connection; 0 while it reconnects.</summary>
    internal int ListenerProcessId => _listener.ProcessId;

    public async Task<QueueInfo> CreateQueueAsync(string name, QueueSettings settings, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var created = await InsertQueueAsync(connection, transaction, name, settings, cancellationToken).ConfigureAwait(false)
            ?? throw new SwitchboardException(ErrorCodes.QueueExists, $"Queue '{name}' already exists; change it with PATCH /v1/queues/{name}.");
        if (settings.DeadLetterQueue is { } deadLetter)
        {
            await InsertQueueAsync(connection, transaction, deadLetter, QueueSettings.ForDeadLetters(), cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<QueueInfo?> GetQueueAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await FindQueueAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT name, settings, created_at FROM broker_queues ORDER BY name", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var queues = new List<QueueInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            queues.Add(ReadQueue(reader));
        }
        return queues;
    }

    public async Task<QueueInfo> UpdateQueueAsync(string name, QueueSettings settings, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        QueueInfo updated;
        await using (var command = new NpgsqlCommand("UPDATE broker_queues SET settings = $2 WHERE name = $1 RETURNING name, settings, created_at", connection, transaction))
        {
            command.Parameters.Add(Text(name));
            command.Parameters.Add(Jsonb(JsonSerializer.Serialize(settings, Json)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            updated = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadQueue(reader) : throw QueueNotFound(name);
        }
        if (settings.DeadLetterQueue is { } deadLetter)
        {
            await InsertQueueAsync(connection, transaction, deadLetter, QueueSettings.ForDeadLetters(), cancellationToken).ConfigureAwait(false);
        }
        // New settings may make messages deliverable (another ordering, a longer maxDeliveries).
        await NotifyAsync(connection, transaction, [name], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _listener.Signal(name);
        return updated;
    }

    public async Task DeleteQueueAsync(string name, bool force, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Locking the row first makes publishers (whose foreign key check shares it) wait, so "empty" stays true.
        await using (var command = new NpgsqlCommand("""
            SELECT (SELECT c.depth FROM broker_queue_counts(q.name) c)
            FROM broker_queues q WHERE q.name = $1 FOR UPDATE
            """, connection, transaction))
        {
            command.Parameters.Add(Text(name));
            var count = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long? ?? throw QueueNotFound(name);
            if (!force && count > 0)
            {
                throw new SwitchboardException(ErrorCodes.QueueNotEmpty,
                    $"Queue '{name}' holds {count} messages; purge it first or delete with ?force=true.");
            }
        }
        // Messages and subscriptions go with the queue (ON DELETE CASCADE); its idempotency keys too.
        await using (var command = new NpgsqlCommand("WITH keys AS (DELETE FROM broker_dedup WHERE scope = $1) DELETE FROM broker_queues WHERE name = $1", connection, transaction))
        {
            command.Parameters.Add(Text(name));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await NotifyAsync(connection, transaction, [name], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _listener.Signal(name);
    }

    public async Task<long> PurgeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            WITH purged AS (DELETE FROM broker_messages WHERE queue = $1 RETURNING 1)
            SELECT (SELECT count(*) FROM purged), EXISTS (SELECT 1 FROM broker_queues WHERE name = $1)
            """, connection);
        command.Parameters.Add(Text(name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var (count, exists) = (reader.GetInt64(0), reader.GetBoolean(1));
        if (!exists)
        {
            throw QueueNotFound(name);
        }
        _listener.Signal(name);
        return count;
    }

    public async Task<QueueStats> GetStatsAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // A message whose lease has run out counts as ready: any receive may take it over.
        await using var command = new NpgsqlCommand("""
            SELECT c.depth, c.in_flight, c.delayed,
                   (SELECT d.depth FROM broker_queue_counts(q.settings->>'deadLetterQueue') d),
                   extract(epoch FROM now() - c.oldest)::float8
            FROM broker_queues q, broker_queue_counts(q.name) c
            WHERE q.name = $1
            """, connection);
        command.Parameters.Add(Text(name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw QueueNotFound(name);
        }
        var depth = reader.GetInt64(0);
        var inFlight = reader.GetInt64(1);
        var delayed = reader.GetInt64(2);
        double? age = reader.IsDBNull(4) ? null : Math.Max(0, reader.GetDouble(4));
        return new QueueStats(name, depth, depth - inFlight - delayed, inFlight, delayed, reader.GetInt64(3), age);
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it once per registration (the store and its interface).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_sweeper is not null)
        {
            await _sweeper.ConfigureAwait(false);
        }
        await _listener.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Counts what every queue holds, for the depth gauge; every node does this now and then.</summary>
    internal async Task RefreshDepthsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT q.name, c.depth FROM broker_queues q, broker_queue_counts(q.name) c
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var depths = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            depths[reader.GetString(0)] = reader.GetInt64(1);
        }
        _depths = depths;
    }

    /// <summary>Ends every lease: run by the first node of a (re)started cluster, while it alone holds the presence lock.</summary>
    private async Task EndAllLeasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("UPDATE broker_messages SET lease_until = now() - interval '1 microsecond' WHERE lease_until >= now()", connection);
        var ended = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        LogLeasesEnded(_logger, ended);
    }

    private static async Task<QueueInfo?> InsertQueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, QueueSettings settings, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO broker_queues (name, settings, created_at) VALUES ($1, $2, now())
            ON CONFLICT (name) DO NOTHING
            RETURNING name, settings, created_at
            """, connection, transaction);
        command.Parameters.Add(Text(name));
        command.Parameters.Add(Jsonb(JsonSerializer.Serialize(settings, Json)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadQueue(reader) : null;
    }

    private static async Task<QueueInfo?> FindQueueAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT name, settings, created_at FROM broker_queues WHERE name = $1", connection, transaction);
        command.Parameters.Add(Text(name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadQueue(reader) : null;
    }

    private static async Task<QueueInfo> RequireQueueAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, CancellationToken cancellationToken) =>
        await FindQueueAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false) ?? throw QueueNotFound(name);

    private static QueueInfo ReadQueue(NpgsqlDataReader reader) =>
        new(reader.GetString(0), ReadSettings(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2));

    private static QueueSettings ReadSettings(string json) => JsonSerializer.Deserialize<QueueSettings>(json, Json)!;

    /// <summary>Wakes receivers of <paramref name="queues"/> on every node once the transaction commits.</summary>
    private static async Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        if (queues.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand($"SELECT pg_notify('{NodeListener.Channel}', q) FROM unnest($1::text[]) AS q", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = queues.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static SwitchboardException QueueNotFound(string name) =>
        new(ErrorCodes.QueueNotFound, $"Queue '{name}' does not exist; create it with POST /v1/queues.");

    internal static IReadOnlyDictionary<string, string> ReadHeaders(string? json) =>
        json is null ? EmptyHeaders : JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? EmptyHeaders;

    internal static string? WriteHeaders(IReadOnlyDictionary<string, string>? headers) =>
        headers is null || headers.Count == 0 ? null : JsonSerializer.Serialize(headers, Json);

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Jsonb(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlParameter Int(int value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter Interval(TimeSpan value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Interval };

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    [LoggerMessage(EventId = EventIds.BrokerStorage.PostgresLeasesEnded, Level = LogLevel.Information, Message = "No other broker node is running; ended {Count} leases left from before the restart")]
    private static partial void LogLeasesEnded(ILogger logger, int count);

    [LoggerMessage(EventId = EventIds.BrokerStorage.PostgresSweepFailed, Level = LogLevel.Error, Message = "A broker sweep failed; it is retried on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.BrokerStorage.PostgresRejectedDropped, Level = LogLevel.Warning, Message = "Queue {Queue} has no dead-letter queue; a rejected message {MessageId} was deleted")]
    private static partial void LogRejectedDropped(ILogger logger, string queue, Guid messageId);

    [LoggerMessage(EventId = EventIds.BrokerStorage.PostgresSweeperElected, Level = LogLevel.Information, Message = "This node now sweeps the broker (lease expiry, dead letters, TTL, retention)")]
    private static partial void LogSweeperElected(ILogger logger);

    [LoggerMessage(EventId = EventIds.BrokerStorage.PostgresSweeperLost, Level = LogLevel.Warning, Message = "This node lost the broker sweeper lock; another node takes over")]
    private static partial void LogSweeperLost(ILogger logger, Exception exception);
}
