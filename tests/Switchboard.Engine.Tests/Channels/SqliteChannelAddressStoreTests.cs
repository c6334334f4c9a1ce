using Switchboard.Channels;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Channels;

namespace Switchboard.Engine.Tests.Channels;

public sealed class SqliteChannelAddressStoreTests : ChannelAddressStoreConformance
{
    private SqliteDatabase? _database;

    protected override Task<IChannelAddressStore> OpenStoreAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        return Task.FromResult<IChannelAddressStore>(new SqliteChannelAddressStore(_database));
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
