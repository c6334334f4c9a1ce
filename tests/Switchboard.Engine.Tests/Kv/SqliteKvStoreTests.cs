using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Kv;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Kv;

namespace Switchboard.Engine.Tests.Kv;

public sealed class SqliteKvStoreTests : KvStoreConformance
{
    private SqliteDatabase? _database;
    private IKvStore? _store;

    protected override Task<IKvStore> OpenStoreAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        _store = new SqliteKvStore(_database);
        return Task.FromResult(_store);
    }

    // One file has one writer: a second node of the embedded engine is the same process and store.
    protected override Task<IKvStore> OpenSecondNodeAsync() => Task.FromResult(_store!);

    protected override Task<long> CountStoredEntriesAsync(string bucket) =>
        _database!.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM kv_entries WHERE bucket = $bucket";
            command.Parameters.AddWithValue("$bucket", bucket);
            return (long)command.ExecuteScalar()!;
        });

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
