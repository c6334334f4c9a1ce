using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchboard.Operations;

namespace Switchboard.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own thread and connection. With SQLite's automatic
/// checkpoint the writer did this inside a commit every 4,000 pages, and the profile showed it as 15 % of the
/// writer thread (reads of WAL frames, writes and an fsync of the database file) — time in which no batch could
/// commit. A passive checkpoint never blocks the writer; when the writer is so busy that the WAL never drains and
/// it grows past <see cref="RestartFrames"/>, one restart checkpoint briefly holds the writer back and rewinds it.
/// </summary>
public sealed partial class SqliteCheckpointer : IDisposable
{
    /// <summary>WAL pages after which a passive checkpoint runs (what wal_autocheckpoint was).</summary>
    internal const int PassiveFrames = 4000;

    /// <summary>WAL pages (about 64 MiB) after which the checkpoint waits for the writer and restarts the WAL.</summary>
    internal const int RestartFrames = 16_000;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly SqliteConnection _connection;
    private readonly SqliteWriter _writer;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    internal SqliteCheckpointer(string connectionString, SqliteWriter writer, ILogger logger)
    {
        _writer = writer;
        _logger = logger;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        SqliteDatabase.Execute(_connection, """
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 5000;
            PRAGMA wal_autocheckpoint = 0;
            """);
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Checkpoints run so far (passive and restart).</summary>
    public long Checkpoints { get; private set; }

    private void Run()
    {
        using var passive = _connection.CreateCommand();
        passive.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var restart = _connection.CreateCommand();
        restart.CommandText = "PRAGMA wal_checkpoint(RESTART)";
        var walFrames = 0L;
        var seenBatches = -1L;
        while (!_stop.Wait(Interval))
        {
            var batches = _writer.Batches;
            if (batches == seenBatches)
            {
                continue;
            }
            seenBatches = batches;
            try
            {
                walFrames = Checkpoint(walFrames >= RestartFrames ? restart : passive);
            }
            catch (SqliteException ex)
            {
                LogCheckpointFailed(_logger, ex);
            }
        }
    }

    /// <summary>Runs one checkpoint; returns the pages in the WAL it found.</summary>
    private long Checkpoint(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        Checkpoints++;
        // (busy, pages in the WAL, pages checkpointed); a passive checkpoint that lags leaves the WAL to grow.
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _connection.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = EventIds.Sqlite.CheckpointFailed, Level = LogLevel.Warning, Message = "A WAL checkpoint failed; it is retried shortly")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
