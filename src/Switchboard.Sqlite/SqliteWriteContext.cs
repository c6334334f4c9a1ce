using Microsoft.Data.Sqlite;

namespace Switchboard.Sqlite;

/// <summary>
/// What one write operation sees inside the writer's batch transaction: prepared commands bound to the
/// transaction, and a hook to run code only once the whole batch is durably committed.
/// </summary>
public sealed class SqliteWriteContext
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly List<Action> _afterCommit = [];

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

    /// <summary>Runs <paramref name="action"/> after the commit that makes this operation durable (e.g. to wake waiters).</summary>
    public void OnCommitted(Action action) => _afterCommit.Add(action);

    internal int AfterCommitCount => _afterCommit.Count;

    internal void RunAfterCommit(int from)
    {
        for (var i = from; i < _afterCommit.Count; i++)
        {
            _afterCommit[i]();
        }
    }

    internal void DropAfterCommit(int from) => _afterCommit.RemoveRange(from, _afterCommit.Count - from);

    internal void ResetBatch() => _afterCommit.Clear();

    internal void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
