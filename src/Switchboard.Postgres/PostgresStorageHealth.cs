using Npgsql;
using Switchboard.Storage;

namespace Switchboard.Postgres;

internal sealed class PostgresStorageHealth(PostgresDatabase database) : IStorageHealth
{
    public string Engine => StorageEngines.Postgres;

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
