using Npgsql;
using Switchboard.Engine.Tests.Infrastructure;

namespace Switchboard.Engine.Tests.Postgres;

public sealed class PostgresMigrationTests
{
    [Fact]
    public async Task Nodes_starting_together_apply_each_migration_exactly_once()
    {
        var connectionString = await TestDatabases.NewPostgresDatabaseAsync();

        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Switchboard.Postgres.PostgresDatabase.OpenAsync(connectionString, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)))
            .WaitAsync(TimeSpan.FromSeconds(60));

        await using var connection = await nodes[0].OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) - count(DISTINCT version) FROM schema_migrations", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }
}
