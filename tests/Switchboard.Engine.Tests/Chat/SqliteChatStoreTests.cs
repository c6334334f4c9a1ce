using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Sqlite;
using Switchboard.Sqlite.Broker;
using Switchboard.Sqlite.Chat;
using Switchboard.Sqlite.Identity;

namespace Switchboard.Engine.Tests.Chat;

public sealed class SqliteChatStoreTests : ChatStoreConformance
{
    private SqliteDatabase? _database;
    private SqliteBrokerStore? _broker;

    protected override Task<ChatEngine> OpenAsync()
    {
        _database = TestDatabases.NewSqlite(out _);
        _broker = new SqliteBrokerStore(_database, new BrokerOptions(), NullLogger<SqliteBrokerStore>.Instance);
        return Task.FromResult(new ChatEngine(new SqliteChatStore(_database, _broker), _broker, new SqliteIdentityStore(_database)));
    }

    protected override async Task CloseAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
