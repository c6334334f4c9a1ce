using Microsoft.Extensions.Logging;
using Npgsql;
using Switchboard.Monitoring;
using Switchboard.Postgres.Broker;
using Switchboard.Operations;

namespace Switchboard.Postgres.Monitoring;

/// <summary>
/// Elects the node that schedules monitors and evaluates rules the way the broker's sweeper is elected: every node
/// campaigns for a session advisory lock about once a second; the holder leads while its connection answers. If that
/// connection or its node dies, PostgreSQL releases the lock and the next campaign elsewhere wins.
/// </summary>
internal sealed partial class PostgresMonitoringLeader(Func<PostgresDatabase> database, ILogger<PostgresMonitoringLeader> logger)
    : IMonitoringLeader, IAsyncDisposable
{
    internal const int MonitoringLockId = 3;

    private static readonly TimeSpan CampaignInterval = TimeSpan.FromSeconds(1);
    private static readonly string Lock = $"{PostgresBrokerStore.NodeLockClass}, {MonitoringLockId}";

    private readonly CancellationTokenSource _stopping = new();
    private NpgsqlConnection? _connection;
    private volatile bool _leading;

    public bool IsLeader => _leading;

    public async Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NpgsqlConnection? connection = null;
            try
            {
                connection = await database().OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Lock})", connection);
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    _connection = connection;
                    _leading = true;
                    LogElected(logger);
                    var lost = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    _ = WatchAsync(connection, lost);
                    return lost.Token;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogCampaignFailed(logger, ex);
            }
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            await Task.Delay(CampaignInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the lock's connection every second; when it breaks, leadership is lost.</summary>
    private async Task WatchAsync(NpgsqlConnection connection, CancellationTokenSource lost)
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(CampaignInterval, _stopping.Token).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
        {
            LogLost(logger, ex);
        }
        _leading = false;
        _connection = null;
        await lost.CancelAsync().ConfigureAwait(false);
        lost.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Gives the lock back explicitly on a clean stop, so the next leader need not wait for the session to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _leading = false;
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            try
            {
                await PostgresDatabase.Execute(connection, $"SELECT pg_advisory_unlock({Lock})", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The connection broke: the server released the lock with the session.
            }
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = EventIds.Monitoring.LeaderElected, Level = LogLevel.Information, Message = "Elected to lead monitoring (schedule monitors, evaluate alert rules)")]
    private static partial void LogElected(ILogger logger);

    [LoggerMessage(EventId = EventIds.Monitoring.LeaderLost, Level = LogLevel.Warning, Message = "Lost the monitoring leadership: its connection failed")]
    private static partial void LogLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.Monitoring.LeaderCampaignFailed, Level = LogLevel.Warning, Message = "Campaign for the monitoring leadership failed")]
    private static partial void LogCampaignFailed(ILogger logger, Exception exception);
}
