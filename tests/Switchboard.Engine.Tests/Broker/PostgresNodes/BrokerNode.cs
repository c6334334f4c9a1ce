using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Broker;
using Switchboard.Postgres;
using Switchboard.Postgres.Broker;

namespace Switchboard.Engine.Tests.Broker.PostgresNodes;

/// <summary>One broker node as a server would run it: its own connection pool and store on the shared database.</summary>
internal sealed class BrokerNode : IAsyncDisposable
{
    private bool _disposed;

    private BrokerNode(PostgresDatabase database, PostgresBrokerStore store)
    {
        Database = database;
        Store = store;
    }

    public PostgresDatabase Database { get; }

    public PostgresBrokerStore Store { get; }

    public static async Task<BrokerNode> StartAsync(string connectionString, BrokerOptions? options = null)
    {
        var database = await PostgresDatabase.OpenAsync(connectionString, NullLoggerFactory.Instance).WaitAsync(TimeSpan.FromSeconds(30));
        var store = new PostgresBrokerStore(database, options ?? new BrokerOptions { SweepIntervalMilliseconds = 50 }, NullLogger<PostgresBrokerStore>.Instance);
        await store.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new BrokerNode(database, store);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await Store.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await Database.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
