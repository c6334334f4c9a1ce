using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Files;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Files;

namespace Switchboard.Engine.Tests.Files;

public sealed class SqliteFileStoreTests : FileStoreConformance
{
    private SqliteDatabase? _database;
    private IFileStore? _store;

    protected override Task<IFileStore> OpenStoreAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        _store = new SqliteFileStore(_database);
        return Task.FromResult(_store);
    }

    // One file has one writer: a second node of the embedded engine is the same process and store.
    protected override Task<IFileStore> OpenSecondNodeAsync() => Task.FromResult(_store!);

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
