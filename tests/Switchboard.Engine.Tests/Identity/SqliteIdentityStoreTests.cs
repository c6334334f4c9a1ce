using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Identity;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Identity;

namespace Switchboard.Engine.Tests.Identity;

public sealed class SqliteIdentityStoreTests : IdentityStoreConformance
{
    private SqliteDatabase? _database;

    protected override Task<IIdentityStore> OpenAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        return Task.FromResult<IIdentityStore>(new SqliteIdentityStore(_database));
    }

    protected override async Task CloseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
