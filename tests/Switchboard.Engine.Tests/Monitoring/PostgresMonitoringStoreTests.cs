using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Monitoring;
using Switchboard.Postgres;
using Switchboard.Postgres.Monitoring;

namespace Switchboard.Engine.Tests.Monitoring;

/// <summary>Runs against the PostgreSQL on 127.0.0.1:5432; a missing server fails these tests.</summary>
public sealed class PostgresMonitoringStoreTests : MonitoringStoreConformance
{
    private readonly List<PostgresDatabase> _nodes = [];
    private string? _connectionString;

    protected override async Task<IMonitoringStore> OpenStoreAsync()
    {
        _connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        return await OpenSecondNodeAsync();
    }

    // A separate pool on the same database: its transitions race the first node's as another server's would.
    protected override async Task<IMonitoringStore> OpenSecondNodeAsync()
    {
        var node = await PostgresDatabase.OpenAsync(_connectionString!, NullLoggerFactory.Instance);
        _nodes.Add(node);
        return new PostgresMonitoringStore(node);
    }

    public override async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
