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

    /// <summary>
    /// This run's id, part of every database name so a run drops only its own: <c>SWITCHBOARD_TEST_RUN_ID</c> when
    /// <c>tests/run.sh</c> set it, else <c>{unix seconds}x{this process id}</c>. Either way it starts with when the run
    /// began and ends with a process that lives as long as the run, which is how a later run tells a leftover of a dead
    /// run from the databases of one still going (see <c>tests/drop-test-databases.sh</c>).
    /// </summary>
    public static string RunId { get; } = ReadRunId(Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_RUN_ID"));

    internal static string ReadRunId(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}x{Environment.ProcessId}";
        }
        if (configured.Length > 32 || !configured.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)))
        {
            throw new InvalidOperationException($"SWITCHBOARD_TEST_RUN_ID '{configured}' must be 1–32 lowercase letters and digits, e.g. 1765000000x4242.");
        }
        return configured;
    }

    /// <summary>A new database name of this run: <c>sb_test_{run id}_{random}</c>.</summary>
    public static string NewDatabaseName() => $"sb_test_{RunId}_{Guid.NewGuid().ToString("n")[..12]}";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var name = NewDatabaseName();
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
