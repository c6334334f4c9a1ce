using Microsoft.Data.Sqlite;

namespace Switchboard.Sqlite;

/// <summary>
/// What one write operation sees inside the writer's batch transaction: prepared commands bound to the
/// transaction, and a hook to run code only once the whole batch is durably committed.
/// </summary>
public sealed class SqliteWriteContext
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);
    private readonly List<Action> _afterCommit = [];
    private readonly List<Action> _afterRollback = [];

    internal SqliteWriteContext(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    internal SqliteTransaction? Transaction { get; set; }

    /// <summary>A cached, prepared command for <paramref name="sql"/> with its parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = Transaction;
        return command;
    }

    /// <summary>A cached raw statement for <paramref name="sql"/>, bound by position: for the hottest writes only.</summary>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(Connection, sql);
            _statements[sql] = statement;
        }
        return statement;
    }

    /// <summary>Runs <paramref name="action"/> after the commit that makes this operation durable (e.g. to wake waiters).</summary>
    public void OnCommitted(Action action) => _afterCommit.Add(action);

    /// <summary>Runs <paramref name="action"/> if this operation does not commit (to undo in-memory reservations).</summary>
    public void OnRolledBack(Action action) => _afterRollback.Add(action);

    internal int AfterCommitCount => _afterCommit.Count;

    internal int AfterRollbackCount => _afterRollback.Count;

    /// <summary>The operation that registered hooks from <paramref name="commitFrom"/> and <paramref name="rollbackFrom"/> on rolled back.</summary>
    internal void RolledBack(int commitFrom, int rollbackFrom)
    {
        _afterCommit.RemoveRange(commitFrom, _afterCommit.Count - commitFrom);
        var undo = _afterRollback.GetRange(rollbackFrom, _afterRollback.Count - rollbackFrom);
        _afterRollback.RemoveRange(rollbackFrom, undo.Count);
        foreach (var action in undo)
        {
            action();
        }
    }

    internal void RunAfterCommit(int from)
    {
        for (var i = from; i < _afterCommit.Count; i++)
        {
            _afterCommit[i]();
        }
    }

    internal void ResetBatch()
    {
        _afterCommit.Clear();
        _afterRollback.Clear();
    }

    internal void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }
        _statements.Clear();
    }
}
