using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchboard.Operations;

namespace Switchboard.Sqlite;

/// <summary>
/// The one writer of the database. Concurrent writes queue here and are folded into one transaction
/// and one fsync (group commit): under load a batch holds everything that arrived while the previous
/// commit was syncing. Each operation runs inside its own savepoint, so one failing operation rolls back
/// alone and the rest of the batch still commits. A caller's task completes only after the commit is durable.
/// </summary>
public sealed partial class SqliteWriter : IAsyncDisposable
{
    private readonly Channel<IWriteRequest> _queue;
    private readonly SqliteConnection _connection;
    private readonly SqliteWriteContext _context;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SqliteWriter(SqliteConnection connection, int maxBatch, ILogger logger)
    {
        _connection = connection;
        _context = new SqliteWriteContext(connection);
        _maxBatch = maxBatch;
        _logger = logger;
        // Bounded: when the disk falls behind, writers wait instead of queueing without limit.
        _queue = Channel.CreateBounded<IWriteRequest>(new BoundedChannelOptions(64 * 1024)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // A dedicated thread: every commit blocks on fsync, which must never tie up a thread-pool thread.
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-writer" };
        _thread.Start();
    }

    /// <summary>Batches committed so far; with <see cref="Operations"/> it shows how well writes are grouped.</summary>
    public long Batches { get; private set; }

    public long Operations { get; private set; }

    /// <summary>Runs <paramref name="work"/> in the next group commit and returns its result once durable.</summary>
    public async Task<T> ExecuteAsync<T>(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken = default)
    {
        var request = new WriteRequest<T>(work, cancellationToken);
        await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await request.Completion.Task.ConfigureAwait(false);
    }

    public Task ExecuteAsync(Action<SqliteWriteContext> work, CancellationToken cancellationToken = default) =>
        ExecuteAsync<bool>(ctx =>
        {
            work(ctx);
            return true;
        }, cancellationToken);

    private void Run()
    {
        try
        {
            RunBatches();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void RunBatches()
    {
        var batch = new List<IWriteRequest>(_maxBatch);
        var reader = _queue.Reader;
        using var savepoint = _connection.CreateCommand();
        using var release = _connection.CreateCommand();
        using var rollback = _connection.CreateCommand();
        savepoint.CommandText = "SAVEPOINT op";
        release.CommandText = "RELEASE op";
        rollback.CommandText = "ROLLBACK TO op; RELEASE op";

        while (WaitForWork(reader))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var request))
            {
                if (!request.IsCancelled)
                {
                    batch.Add(request);
                }
            }
            if (batch.Count == 0)
            {
                continue;
            }

            _context.ResetBatch();
            SqliteTransaction? transaction = null;
            try
            {
                transaction = _connection.BeginTransaction();
                _context.Transaction = transaction;
                savepoint.Transaction = release.Transaction = rollback.Transaction = transaction;
                foreach (var request in batch)
                {
                    var commitHooks = _context.AfterCommitCount;
                    var rollbackHooks = _context.AfterRollbackCount;
                    savepoint.ExecuteNonQuery();
                    try
                    {
                        request.Run(_context);
                        release.ExecuteNonQuery();
                    }
                    catch (Exception ex)
                    {
                        rollback.ExecuteNonQuery();
                        _context.RolledBack(commitHooks, rollbackHooks);
                        request.Fail(ex);
                    }
                }
#if FAULT_ACK_BEFORE_COMMIT
                // The deliberately broken build of the crash suite: callers hear "durable" before the commit, which
                // then takes as long as an fsync on a slow disk, so a kill at a random moment lands in that window.
                foreach (var request in batch)
                {
                    request.Complete();
                }
                Thread.Sleep(20);
#endif
                transaction.Commit();
            }
            catch (Exception ex)
            {
                LogBatchFailed(_logger, ex, batch.Count);
                try
                {
                    transaction?.Rollback();
                }
                catch (Exception rollbackError)
                {
                    LogRollbackFailed(_logger, rollbackError);
                }
                _context.RolledBack(0, 0);
                foreach (var request in batch)
                {
                    request.Fail(ex);
                    request.Complete();
                }
                transaction?.Dispose();
                _context.Transaction = null;
                continue;
            }
            transaction.Dispose();
            _context.Transaction = null;

            Batches++;
            Operations += batch.Count;
            try
            {
                _context.RunAfterCommit(0);
            }
            catch (Exception ex)
            {
                LogAfterCommitFailed(_logger, ex);
            }
            foreach (var request in batch)
            {
                request.Complete();
            }
        }
    }

    private static bool WaitForWork(ChannelReader<IWriteRequest> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        _context.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = EventIds.Sqlite.BatchFailed, Level = LogLevel.Error, Message = "A write batch of {Count} operations failed to commit; every operation in it failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = EventIds.Sqlite.RollbackFailed, Level = LogLevel.Error, Message = "Rolling back a failed write batch failed")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.Sqlite.AfterCommitFailed, Level = LogLevel.Error, Message = "A post-commit callback failed; the batch itself is committed")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception exception);

    private interface IWriteRequest
    {
        bool IsCancelled { get; }

        void Run(SqliteWriteContext context);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class WriteRequest<T>(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken) : IWriteRequest
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Once a request is in a batch it runs to the end: cancelling after that point would lie about durability.
        public bool IsCancelled
        {
            get
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
                Completion.TrySetCanceled(cancellationToken);
                return true;
            }
        }

        public void Run(SqliteWriteContext context) => _result = work(context);

        public void Fail(Exception exception) => _error ??= exception;

        public void Complete()
        {
            if (_error is not null)
            {
                Completion.TrySetException(_error);
            }
            else
            {
                Completion.TrySetResult(_result!);
            }
        }
    }
}
