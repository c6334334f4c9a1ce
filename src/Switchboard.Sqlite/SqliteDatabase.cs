using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchboard.Storage;

namespace Switchboard.Sqlite;

/// <summary>
/// The embedded database: one file in WAL mode, one <see cref="SqliteWriter"/> with group commit,
/// and pooled read-only connections that never wait for the writer.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _readConnectionString;
    private readonly SqliteCheckpointer _checkpointer;

    private SqliteDatabase(string path, SqliteWriter writer, SqliteCheckpointer checkpointer, string readConnectionString)
    {
        Path = path;
        Writer = writer;
        _checkpointer = checkpointer;
        _readConnectionString = readConnectionString;
    }

    public string Path { get; }

    public SqliteWriter Writer { get; }

    internal SqliteCheckpointer Checkpointer => _checkpointer;

    /// <summary>Opens the database file (creating it), applies pending migrations, and starts the writer.</summary>
    public static SqliteDatabase Open(string path, int maxBatch, ILoggerFactory loggerFactory)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        // synchronous=FULL: in WAL mode every commit is fsync'd before it returns, so an acknowledged
        // write survives power loss, not only a process crash.
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = 5000;
            PRAGMA temp_store = MEMORY;
            PRAGMA wal_autocheckpoint = 4000;
            """);
        SqliteMigrator.Apply(connection, Migration.LoadFrom(typeof(SqliteDatabase).Assembly), loggerFactory.CreateLogger<SqliteMigrator>());
        // Checkpoints run on their own thread (SqliteCheckpointer), not inside the writer's commits; a larger page
        // cache keeps the B-tree pages the writer touches in memory instead of reading them back from the file.
        Execute(connection, """
            PRAGMA wal_autocheckpoint = 0;
            PRAGMA cache_size = -65536;
            """);

        var read = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writer = new SqliteWriter(connection, maxBatch, loggerFactory.CreateLogger<SqliteWriter>());
        var checkpointer = new SqliteCheckpointer(builder.ToString(), writer, loggerFactory.CreateLogger<SqliteCheckpointer>());
        return new SqliteDatabase(path, writer, checkpointer, read);
    }

    /// <summary>A pooled read-only connection; readers see the last committed state and never block the writer.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Reads are short and local; running them inline avoids a thread hop on the hot path.
        await using var connection = OpenReader();
        return read(connection);
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _checkpointer.Dispose();
        await Writer.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
    }
}
