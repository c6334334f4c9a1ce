using Switchboard.Cluster;

namespace Switchboard.Sqlite.Cluster;

/// <summary>The node registry on the embedded engine: one node lists itself. Times are Unix milliseconds UTC.</summary>
internal sealed class SqliteNodeRegistry(SqliteDatabase database, TimeProvider time) : INodeRegistry
{
    public Task HeartbeatAsync(string nodeId, string address, NodeState state, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var command = ctx.Command("""
                INSERT INTO cluster_nodes (id, address, state, started_at, heartbeat_at) VALUES ($id, $address, $state, $now, $now)
                ON CONFLICT (id) DO UPDATE SET address = excluded.address, state = excluded.state, heartbeat_at = excluded.heartbeat_at
                """);
            command.Parameters.AddWithValue("$id", nodeId);
            command.Parameters.AddWithValue("$address", address);
            command.Parameters.AddWithValue("$state", NodeStates.ToStored(state));
            command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }, cancellationToken);

    public Task RemoveAsync(string nodeId, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var command = ctx.Command("DELETE FROM cluster_nodes WHERE id = $id");
            command.Parameters.AddWithValue("$id", nodeId);
            command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<IReadOnlyList<ClusterNode>> ListLiveAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<ClusterNode>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, address, state, started_at, heartbeat_at FROM cluster_nodes WHERE heartbeat_at > $since ORDER BY id";
            command.Parameters.AddWithValue("$since", (time.GetUtcNow() - staleAfter).ToUnixTimeMilliseconds());
            using var reader = command.ExecuteReader();
            var nodes = new List<ClusterNode>();
            while (reader.Read())
            {
                nodes.Add(new ClusterNode(reader.GetString(0), reader.GetString(1), NodeStates.FromStored(reader.GetString(2)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }
            return nodes;
        }, cancellationToken);
}
