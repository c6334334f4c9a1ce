using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Monitoring;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Monitoring;

namespace Switchboard.Engine.Tests.Monitoring;

public sealed class SqliteMonitoringStoreTests : MonitoringStoreConformance
{
    private SqliteDatabase? _database;
    private IMonitoringStore? _store;

    protected override Task<IMonitoringStore> OpenStoreAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        _store = new SqliteMonitoringStore(_database);
        return Task.FromResult(_store);
    }

    // One file has one writer: a second node of the embedded engine is the same process and store.
    protected override Task<IMonitoringStore> OpenSecondNodeAsync() => Task.FromResult(_store!);

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
