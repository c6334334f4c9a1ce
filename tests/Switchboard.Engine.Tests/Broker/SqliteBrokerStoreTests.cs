using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Broker;

namespace Switchboard.Engine.Tests.Broker;

public sealed class SqliteBrokerStoreTests : BrokerStoreConformance
{
    private static readonly BrokerOptions Options = new() { SweepIntervalMilliseconds = 50 };

    private SqliteDatabase? _database;
    private SqliteBrokerStore? _store;
    private string _path = "";

    protected override Task<IBrokerStore> OpenAsync()
    {
        _database = TestDatabases.NewSqlite(out _path);
        _store = new SqliteBrokerStore(_database, Options, NullLogger<SqliteBrokerStore>.Instance);
        return Task.FromResult<IBrokerStore>(_store);
    }

    protected override async Task<IBrokerStore> ReopenAsync()
    {
        await CloseAsync();
        _database = SqliteDatabase.Open(_path, 4096, NullLoggerFactory.Instance);
        _store = new SqliteBrokerStore(_database, Options, NullLogger<SqliteBrokerStore>.Instance);
        return _store;
    }

    protected override Task CommitWithOutboxAsync(IReadOnlyList<OutboxEntry> entries, bool fail) =>
        _database!.Writer.ExecuteAsync(ctx =>
        {
            _store!.PublishWithin(ctx, entries);
            if (fail)
            {
                throw new InvalidOperationException("The feature's own write failed.");
            }
        });

    protected override async Task CloseAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }
    }
}
