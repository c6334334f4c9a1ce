using Npgsql;
using Switchboard.Cluster;

namespace Switchboard.Postgres.Cluster;

/// <summary>The node registry on the scale-out engine; heartbeats and ages use the database's clock.</summary>
internal sealed class PostgresNodeRegistry(PostgresDatabase database) : INodeRegistry
{
    public async Task HeartbeatAsync(string nodeId, string address, NodeState state, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO cluster_nodes (id, address, state) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET address = excluded.address, state = excluded.state, heartbeat_at = now()
            """, connection);
        command.Parameters.AddWithValue(nodeId);
        command.Parameters.AddWithValue(address);
        command.Parameters.AddWithValue(NodeStates.ToStored(state));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM cluster_nodes WHERE id = $1", connection);
        command.Parameters.AddWithValue(nodeId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ClusterNode>> ListLiveAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT id, address, state, started_at, heartbeat_at FROM cluster_nodes
            WHERE heartbeat_at > now() - $1 ORDER BY id
            """, connection);
        command.Parameters.AddWithValue(staleAfter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<ClusterNode>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(new ClusterNode(reader.GetString(0), reader.GetString(1), NodeStates.FromStored(reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return nodes;
    }
}
