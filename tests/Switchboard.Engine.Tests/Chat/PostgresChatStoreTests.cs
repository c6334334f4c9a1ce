using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Postgres;
using Switchboard.Postgres.Broker;
using Switchboard.Postgres.Chat;
using Switchboard.Postgres.Identity;

namespace Switchboard.Engine.Tests.Chat;

/// <summary>Runs against the PostgreSQL on 127.0.0.1:5432; a missing server fails these tests.</summary>
public sealed class PostgresChatStoreTests : ChatStoreConformance
{
    private PostgresDatabase? _database;
    private PostgresBrokerStore? _broker;

    protected override async Task<ChatEngine> OpenAsync()
    {
        _database = await TestDatabases.NewPostgresAsync();
        _broker = new PostgresBrokerStore(_database, new BrokerOptions(), NullLogger<PostgresBrokerStore>.Instance);
        await _broker.StartAsync();
        return new ChatEngine(new PostgresChatStore(_database, _broker), _broker, new PostgresIdentityStore(_database));
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
