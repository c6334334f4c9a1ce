using Switchboard.Channels;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Channels;

namespace Switchboard.Engine.Tests.Channels;

public sealed class SqliteDeliveryStoreTests : DeliveryStoreConformance
{
    private SqliteDatabase? _database;

    protected override Task<IDeliveryStore> OpenStoreAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        return Task.FromResult<IDeliveryStore>(new SqliteDeliveryStore(_database));
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
