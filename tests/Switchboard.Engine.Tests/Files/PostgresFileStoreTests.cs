using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Files;
using Switchboard.Postgres;
using Switchboard.Postgres.Files;

namespace Switchboard.Engine.Tests.Files;

/// <summary>Runs against the PostgreSQL on 127.0.0.1:5432; a missing server fails these tests.</summary>
public sealed class PostgresFileStoreTests : FileStoreConformance
{
    private readonly List<PostgresDatabase> _nodes = [];
    private string? _connectionString;

    protected override async Task<IFileStore> OpenStoreAsync()
    {
        _connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        return await OpenSecondNodeAsync();
    }

    // A separate pool on the same database: its writes race the first node's as another server's would.
    protected override async Task<IFileStore> OpenSecondNodeAsync()
    {
        var node = await PostgresDatabase.OpenAsync(_connectionString!, NullLoggerFactory.Instance);
        _nodes.Add(node);
        return new PostgresFileStore(node);
    }

    public override async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
