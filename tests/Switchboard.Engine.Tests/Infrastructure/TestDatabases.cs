using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.Postgres;
using Switchboard.Sqlite;

namespace Switchboard.Engine.Tests.Infrastructure;

/// <summary>
/// Fresh databases for conformance tests: a new SQLite file, or a new PostgreSQL database on the server
/// named by <c>SWITCHBOARD_TEST_POSTGRES</c> (default: loopback, user and password <c>switchboard</c>).
/// A missing PostgreSQL fails the tests that need it: `tests/run.sh` installs and starts one.
/// </summary>
public static class TestDatabases
{
    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=switchboard;Password=switchboard;Database=postgres;Timeout=30";

    public static SqliteDatabase NewSqlite(out string path)
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        path = Path.Combine(folder, "switchboard.db");
        return SqliteDatabase.Open(path, 4096, NullLoggerFactory.Instance);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> NewPostgresDatabaseAsync()
    {
        var name = "sb_test_" + Guid.NewGuid().ToString("n")[..16];
        try
        {
            await using var admin = new NpgsqlConnection(PostgresAdminConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{PostgresAdminConnectionString}'. Run `bash tests/run.sh` (it installs and starts one) " +
                "or set SWITCHBOARD_TEST_POSTGRES to a server where the user may create databases.", ex);
        }
        return new NpgsqlConnectionStringBuilder(PostgresAdminConnectionString) { Database = name }.ToString();
    }

    public static async Task<PostgresDatabase> NewPostgresAsync() =>
        await PostgresDatabase.OpenAsync(await NewPostgresDatabaseAsync(), NullLoggerFactory.Instance);
}
