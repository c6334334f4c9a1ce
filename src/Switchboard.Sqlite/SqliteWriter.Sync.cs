using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Switchboard.Sqlite;

/// <summary>
/// Pipelined group commit: the writer commits with <c>synchronous=NORMAL</c> (the commit writes its WAL frames to
/// the OS, no fsync) and hands the batch here; this thread fsyncs the WAL file and only then completes every request
/// of every batch committed before that fsync began. While one fsync is in flight the writer commits the next batch,
/// so the disk's latency no longer stalls the writer, and one fsync covers every batch committed meanwhile.
/// </summary>
/// <remarks>
/// Why an ack still means "on disk": a commit's frames are in the WAL file once <c>COMMIT</c> returns (written, not
/// yet synced), and fsync of any descriptor of a file writes out all of that file's dirty pages, so the fsync that
/// starts after a commit returned covers it. A checkpoint never moves unsynced frames into the database file: the
/// checkpointer's connection runs with <c>synchronous=FULL</c>, and SQLite syncs the WAL before it backfills. A WAL
/// restart writes new frames under a new salt, which recovery tells apart from the old ones, as in SQLite's own
/// <c>synchronous=NORMAL</c>. What changes: other connections may read a commit before its fsync finished (its
/// writer is not yet answered); a power loss in that window loses it, which no acknowledged caller saw as durable.
/// </remarks>
public sealed partial class SqliteWriter
{
    // A monitor, not a Lock: the writer and the sync thread wait on it for each other (Monitor.Wait/PulseAll).
    private readonly object _syncGate = new();
    private readonly FileStream? _wal;
    private readonly Thread? _syncThread;
    private List<IWriteRequest> _committed = [];
    private bool _syncStopping;
    private Exception? _syncFailure;

    /// <summary>WAL fsyncs so far; <see cref="Operations"/> / <see cref="Syncs"/> is writes per fsync.</summary>
    public long Syncs { get; private set; }

    /// <summary>Whether commits are fsync'd by the sync thread (pipelined) rather than inside COMMIT.</summary>
    public bool Pipelined => _wal is not null;

    /// <summary>
    /// Switches the connection to commits without fsync and opens the WAL file for the sync thread. One durable
    /// commit first, in <c>synchronous=FULL</c>: SQLite then syncs the directory that holds the WAL file, which an
    /// fsync of the file alone would not make durable.
    /// </summary>
    private static FileStream OpenWal(SqliteConnection connection)
    {
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "PRAGMA user_version";
            var version = Convert.ToInt64(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            // Rewriting the header's user_version with its own value is a real commit that changes nothing.
            SqliteDatabase.Execute(connection, $"PRAGMA synchronous = FULL; PRAGMA user_version = {version}; PRAGMA synchronous = NORMAL;");
        }
        // Write access only so FileStream agrees to fsync; nothing is ever written through this handle.
        return new FileStream(connection.DataSource + "-wal", FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
    }

    /// <summary>Before the next batch: wait while a committed batch still waits for its fsync to begin.</summary>
    private void WaitForSyncSlot()
    {
        lock (_syncGate)
        {
            while (_committed.Count > 0 && _syncFailure is null)
            {
                Monitor.Wait(_syncGate);
            }
        }
    }

    /// <summary>Hands a committed batch to the sync thread, which completes it after the fsync that covers it.</summary>
    private void HandOff(List<IWriteRequest> batch)
    {
        Exception? failure;
        lock (_syncGate)
        {
            failure = _syncFailure;
            if (failure is null)
            {
                _committed.AddRange(batch);
                Monitor.PulseAll(_syncGate);
                return;
            }
        }
        foreach (var request in batch)
        {
            request.Fail(failure);
            request.Complete();
        }
    }

    private void RunSyncs()
    {
        while (true)
        {
            List<IWriteRequest> covered;
            lock (_syncGate)
            {
                while (_committed.Count == 0 && !_syncStopping)
                {
                    Monitor.Wait(_syncGate);
                }
                if (_committed.Count == 0)
                {
                    return;
                }
                covered = _committed;
                _committed = [];
                Monitor.PulseAll(_syncGate);
            }
            try
            {
                _wal!.Flush(flushToDisk: true);
                Syncs++;
            }
            catch (IOException ex)
            {
                // After a failed fsync the kernel may have dropped the dirty pages: nothing committed since the last
                // good fsync can be called durable, now or later (PostgreSQL stops for the same reason).
                LogSyncFailed(_logger, ex);
                lock (_syncGate)
                {
                    _syncFailure = ex;
                    covered.AddRange(_committed);
                    _committed = [];
                    Monitor.PulseAll(_syncGate);
                }
                foreach (var request in covered)
                {
                    request.Fail(ex);
                }
            }
            foreach (var request in covered)
            {
                request.Complete();
            }
        }
    }

    private void StopSyncs()
    {
        if (_syncThread is null)
        {
            return;
        }
        lock (_syncGate)
        {
            _syncStopping = true;
            Monitor.PulseAll(_syncGate);
        }
        _syncThread.Join();
        _wal!.Dispose();
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Critical, Message = "fsync of the WAL failed; every write since the last good fsync failed and writes fail until a restart")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
