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
    private readonly List<(PostgresDatabase Database, PostgresBrokerStore Broker)> _nodes = [];
    private string _connectionString = "";

    protected override async Task<ChatEngine> OpenAsync()
    {
        _connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        return await OpenSecondNodeAsync();
    }

    // A separate pool and broker on the same database: its transactions race the first node's as another server's would.
    protected override async Task<ChatEngine> OpenSecondNodeAsync()
    {
        var database = await PostgresDatabase.OpenAsync(_connectionString, NullLoggerFactory.Instance);
        var broker = new PostgresBrokerStore(database, new BrokerOptions(), NullLogger<PostgresBrokerStore>.Instance);
        await broker.StartAsync();
        _nodes.Add((database, broker));
        return new ChatEngine(new PostgresChatStore(database, broker), broker, new PostgresIdentityStore(database));
    }

    protected override async Task CloseAsync()
    {
        foreach (var (database, broker) in _nodes)
        {
            await broker.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
