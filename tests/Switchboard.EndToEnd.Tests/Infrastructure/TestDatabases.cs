using Switchboard.Testing;

namespace Switchboard.EndToEnd.Tests.Infrastructure;

/// <summary>Fresh PostgreSQL databases for the server processes under test (see <see cref="TestPostgres"/>).</summary>
public static class TestDatabases
{
    public static string PostgresAdminConnectionString => TestPostgres.AdminConnectionString;

    public static Task<string> NewPostgresDatabaseAsync() => TestPostgres.NewDatabaseAsync();
}
