using Npgsql;

namespace Switchboard.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database on the server named by <c>SWITCHBOARD_TEST_POSTGRES</c> (default: loopback, user and
/// password <c>switchboard</c>), as the engine conformance tests create them. `tests/run.sh` installs and starts one.
/// </summary>
public static class TestDatabases
{
    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=switchboard;Password=switchboard;Database=postgres;Timeout=30";

    public static async Task<string> NewPostgresDatabaseAsync()
    {
        var name = "sb_e2e_" + Guid.NewGuid().ToString("n")[..16];
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
}
