using Switchboard.Cluster;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Postgres;
using Switchboard.Postgres.Cluster;

namespace Switchboard.Engine.Tests.Cluster;

/// <summary>Runs against the PostgreSQL on 127.0.0.1:5432; a missing server fails these tests.</summary>
public sealed class PostgresNodeRegistryTests : NodeRegistryConformance
{
    private PostgresDatabase? _database;

    protected override async Task<INodeRegistry> OpenRegistryAsync()
    {
        _database = await TestDatabases.NewPostgresAsync();
        return new PostgresNodeRegistry(_database);
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
