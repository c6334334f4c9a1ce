using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Kv;
using Switchboard.Postgres;
using Switchboard.Postgres.Kv;

namespace Switchboard.Engine.Tests.Kv;

/// <summary>Runs against the PostgreSQL on 127.0.0.1:5432; a missing server fails these tests.</summary>
public sealed class PostgresKvStoreTests : KvStoreConformance
{
    private readonly List<PostgresDatabase> _nodes = [];
    private string? _connectionString;

    protected override async Task<IKvStore> OpenStoreAsync()
    {
        _connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        return await OpenSecondNodeAsync();
    }

    // A separate pool on the same database: its writes race the first node's as another server's would.
    protected override async Task<IKvStore> OpenSecondNodeAsync()
    {
        var node = await PostgresDatabase.OpenAsync(_connectionString!, NullLoggerFactory.Instance);
        _nodes.Add(node);
        return new PostgresKvStore(node);
    }

    protected override async Task<long> CountStoredEntriesAsync(string bucket)
    {
        await using var connection = await _nodes[0].OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM kv_entries WHERE bucket = $1", connection);
        command.Parameters.AddWithValue(bucket);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public override async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
