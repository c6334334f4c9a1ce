using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Postgres;
using Switchboard.Postgres.Broker;

namespace Switchboard.Engine.Tests.Broker;

public sealed class PostgresBrokerStoreTests : BrokerStoreConformance
{
    private static readonly BrokerOptions Options = new() { SweepIntervalMilliseconds = 50 };

    private string _connectionString = "";
    private PostgresDatabase? _database;
    private PostgresBrokerStore? _store;

    protected override async Task<IBrokerStore> OpenAsync()
    {
        _connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        return await StartAsync();
    }

    protected override async Task<IBrokerStore> ReopenAsync()
    {
        await CloseAsync();
        return await StartAsync();
    }

    protected override async Task CommitWithOutboxAsync(IReadOnlyList<OutboxEntry> entries, bool fail)
    {
        await using var connection = await _database!.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await _store!.PublishWithinAsync(connection, transaction, entries, CancellationToken.None);
        if (fail)
        {
            throw new InvalidOperationException("The feature's own write failed.");
        }
        await transaction.CommitAsync();
    }

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

    private async Task<IBrokerStore> StartAsync()
    {
        _database = await PostgresDatabase.OpenAsync(_connectionString, NullLoggerFactory.Instance);
        _store = new PostgresBrokerStore(_database, Options, NullLogger<PostgresBrokerStore>.Instance);
        await _store.StartAsync();
        return _store;
    }
}
