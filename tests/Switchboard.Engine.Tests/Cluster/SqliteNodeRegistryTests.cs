using Switchboard.Cluster;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Cluster;

namespace Switchboard.Engine.Tests.Cluster;

public sealed class SqliteNodeRegistryTests : NodeRegistryConformance
{
    private SqliteDatabase? _database;

    protected override Task<INodeRegistry> OpenRegistryAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        return Task.FromResult<INodeRegistry>(new SqliteNodeRegistry(_database, TimeProvider.System));
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
