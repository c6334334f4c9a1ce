using Switchboard.Channels;

namespace Switchboard.Sqlite.Channels;

internal sealed class SqliteChannelAddressStore(SqliteDatabase database) : IChannelAddressStore
{
    public Task SetAsync(string userId, string channel, string address, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var command = ctx.Command("""
                INSERT INTO channel_addresses (user_id, channel, address, updated_at) VALUES ($user, $channel, $address, $at)
                ON CONFLICT (user_id, channel) DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at
                """);
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$channel", channel);
            command.Parameters.AddWithValue("$address", address);
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<bool> DeleteAsync(string userId, string channel, CancellationToken cancellationToken = default) =>
        database.Writer.ExecuteAsync(ctx =>
        {
            var command = ctx.Command("DELETE FROM channel_addresses WHERE user_id = $user AND channel = $channel");
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$channel", channel);
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> ListAsync(IReadOnlyCollection<string> userIds,
        CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(connection =>
        {
            var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            // In slices: SQLite binds at most 32,766 parameters, and a group or room may be large.
            foreach (var slice in userIds.Distinct(StringComparer.Ordinal).Chunk(500))
            {
                using var command = connection.CreateCommand();
                var names = slice.Select((_, i) => "$u" + i).ToArray();
                command.CommandText = $"SELECT user_id, channel, address FROM channel_addresses WHERE user_id IN ({string.Join(", ", names)})";
                for (var i = 0; i < slice.Length; i++)
                {
                    command.Parameters.AddWithValue(names[i], slice[i]);
                }
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var user = reader.GetString(0);
                    if (!result.TryGetValue(user, out var addresses))
                    {
                        result[user] = addresses = new Dictionary<string, string>(StringComparer.Ordinal);
                    }
                    addresses[reader.GetString(1)] = reader.GetString(2);
                }
            }
            return result.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value, StringComparer.Ordinal);
        }, cancellationToken);
}
