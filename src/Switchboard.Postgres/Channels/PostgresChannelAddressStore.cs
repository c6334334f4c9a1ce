using Npgsql;
using Switchboard.Channels;

namespace Switchboard.Postgres.Channels;

internal sealed class PostgresChannelAddressStore(PostgresDatabase database) : IChannelAddressStore
{
    public async Task SetAsync(string userId, string channel, string address, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO channel_addresses (user_id, channel, address, updated_at) VALUES (@user, @channel, @address, @at)
            ON CONFLICT (user_id, channel) DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("channel", channel);
        command.Parameters.AddWithValue("address", address);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string userId, string channel, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM channel_addresses WHERE user_id = @user AND channel = @channel", connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("channel", channel);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> ListAsync(IReadOnlyCollection<string> userIds,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT user_id, channel, address FROM channel_addresses WHERE user_id = ANY(@users)", connection);
        command.Parameters.AddWithValue("users", userIds.Distinct(StringComparer.Ordinal).ToArray());
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var user = reader.GetString(0);
            if (!result.TryGetValue(user, out var addresses))
            {
                result[user] = addresses = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            addresses[reader.GetString(1)] = reader.GetString(2);
        }
        return result.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value, StringComparer.Ordinal);
    }
}
