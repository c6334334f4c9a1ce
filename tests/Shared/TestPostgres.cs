using Npgsql;

namespace Switchboard.Testing;

/// <summary>
/// Fresh PostgreSQL databases for tests, on the server named by <c>SWITCHBOARD_TEST_POSTGRES</c> (default: loopback,
/// user and password <c>switchboard</c>). A missing server fails the tests that need it: `tests/run.sh` installs and
/// starts one. Compiled into each test project that uses PostgreSQL.
/// </summary>
internal static class TestPostgres
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=switchboard;Password=switchboard;Database=postgres;Timeout=30";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var name = "sb_test_" + Guid.NewGuid().ToString("n")[..16];
        try
        {
            await using var admin = new NpgsqlConnection(AdminConnectionString);
            await admin.OpenAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{AdminConnectionString}'. Run `bash tests/run.sh` (it installs and starts one) " +
                "or set SWITCHBOARD_TEST_POSTGRES to a server where the user may create databases.", ex);
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }
}
