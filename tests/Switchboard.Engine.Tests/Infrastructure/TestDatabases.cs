using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Postgres;
using Switchboard.Sqlite;
using Switchboard.Testing;

namespace Switchboard.Engine.Tests.Infrastructure;

/// <summary>
/// Fresh databases for conformance tests: a new SQLite file, or a new PostgreSQL database on the server
/// named by <c>SWITCHBOARD_TEST_POSTGRES</c> (default: loopback, user and password <c>switchboard</c>).
/// A missing PostgreSQL fails the tests that need it: `tests/run.sh` installs and starts one.
/// </summary>
public static class TestDatabases
{
    public static string PostgresAdminConnectionString => TestPostgres.AdminConnectionString;

    public static SqliteDatabase NewSqlite(out string path)
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        path = Path.Combine(folder, "switchboard.db");
        return SqliteDatabase.Open(path, 4096, NullLoggerFactory.Instance);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static Task<string> NewPostgresDatabaseAsync() => TestPostgres.NewDatabaseAsync();

    public static async Task<PostgresDatabase> NewPostgresAsync() =>
        await PostgresDatabase.OpenAsync(await NewPostgresDatabaseAsync(), NullLoggerFactory.Instance);
}
